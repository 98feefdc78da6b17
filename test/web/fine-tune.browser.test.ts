/**
 * The training panel's base choice in a real headless Chromium: the panel lists the models the
 * playground may fine-tune, choosing one sets the size aside (the preset is disabled), and the
 * run started from it says what it fine-tunes while it runs and what the model was fine-tuned
 * from at the end (English and Japanese). Screenshots go to out/playground/fine-tune-*.png.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeTinyGpt2 } from "../helpers/tiny-gpt2.ts";
import { chromiumAvailable, launchChromium } from "./browser.ts";
import { startTestPlayground, type TestPlayground, TRAINING_TEXT_FILE } from "./harness.ts";

const SCREENSHOTS = path.resolve("out/playground");
const hasChromium = chromiumAvailable();

describe.skipIf(!hasChromium)(
  hasChromium
    ? "fine-tuning from the training panel in Chromium"
    : "fine-tuning from the training panel in Chromium (skipped: no Chromium)",
  () => {
    let pg: TestPlayground;
    let browser: Browser;
    let modelsDir: string;

    beforeAll(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      modelsDir = mkdtempSync(path.join(tmpdir(), "browser-fine-tune-"));
      writeTinyGpt2(path.join(modelsDir, "gpt2-tiny"));
      pg = await startTestPlayground({ steps: 20, evalInterval: 10, evalBatches: 2 }, { modelsDir });
      browser = await launchChromium();
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await pg?.close();
      if (modelsDir) rmSync(modelsDir, { recursive: true, force: true });
    });

    for (const [locale, started, from] of [
      ["en-US", "Fine-tuning gpt2-tiny (its size and tokenizer kept)", "Fine-tuned from gpt2-tiny."],
      ["ja", "gpt2-tiny を微調整します（大きさとトークナイザはそのまま）", "gpt2-tiny から微調整したモデルです。"],
    ] as const) {
      it(`fine-tunes the chosen base and says so (${locale})`, async () => {
        const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, locale });
        await page.goto(pg.url);
        await page.waitForSelector(".message.bot");
        await page.fill("#input", "/train");
        await page.keyboard.press("Escape");
        await page.keyboard.press("Enter");
        const panel = page.locator(".train-panel").last();
        await panel.locator("select[name=base] option[value=gpt2-tiny]").waitFor({ state: "attached" });
        const refs = await panel.locator("select[name=base] option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
        expect(refs[0]).toBe("");
        expect(refs).toContain("gpt2-tiny");
        expect(refs).toContain("default");
        await panel.locator("select[name=base]").selectOption("gpt2-tiny");
        expect(await panel.locator("select[name=preset]").isDisabled()).toBe(true);
        await panel.locator("textarea").fill(readFileSync(TRAINING_TEXT_FILE, "utf8"));
        await page.screenshot({ path: path.join(SCREENSHOTS, `fine-tune-panel-${locale}.png`) });
        await panel.locator("button[type=submit]").click();
        await expect.poll(() => page.locator(".message.bot").last().textContent(), { timeout: 30_000 }).toContain(started);
        await expect.poll(() => page.locator(".training-line").last().textContent(), { timeout: 60_000 }).toContain(from);
        await page.screenshot({ path: path.join(SCREENSHOTS, `fine-tune-end-${locale}.png`) });
        await page.close();
      }, 90_000);
    }
  },
);
