/**
 * The kept checkpoint is the best, not the last, as the playground shows it (issue 19, item 2):
 * a training whose learning rate climbs from 0.01 to 1 improves, then blows up; the page's end
 * line says which step's weights were kept and why, and /model show (in English and Japanese)
 * reports that step and its validation loss — the installed model's, not the last step's.
 * Screenshots go to out/playground/kept-best-*.png.
 */
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatInt, formatLoss } from "../../src/app/number-format.ts";
import { chromiumAvailable, launchChromium } from "./browser.ts";
import { startTestPlayground, type TestPlayground, TRAINING_TEXT_FILE } from "./harness.ts";

const SCREENSHOTS = path.resolve("out/playground");
const hasChromium = chromiumAvailable();
const STEPS = 60;

describe.skipIf(!hasChromium)(
  hasChromium ? "the best checkpoint kept, in Chromium" : "the best checkpoint kept, in Chromium (skipped: no Chromium)",
  () => {
    let pg: TestPlayground;
    let browser: Browser;

    beforeAll(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      pg = await startTestPlayground({
        steps: STEPS,
        evalInterval: 10,
        evalBatches: 2,
        schedule: { maxLr: 1e-2, minLr: 1, warmupSteps: 1 },
      });
      browser = await launchChromium();
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await pg?.close();
    });

    async function send(page: Page, line: string): Promise<string> {
      const before = await page.locator(".message.bot:not(:has(.typing))").count();
      await page.fill("#input", line);
      await page.keyboard.press("Escape");
      await page.keyboard.press("Enter");
      await page.waitForFunction((n) => document.querySelectorAll(".message.bot:not(:has(.typing))").length > n, before, {
        timeout: 30_000,
      });
      return (await page.locator(".message.bot:not(:has(.typing)) .body").last().textContent()) ?? "";
    }

    it("a run that gets worse keeps its best step, and the page says so where the model is shown", async () => {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, locale: "en-US" });
      await page.goto(pg.url);
      await page.waitForSelector(".message.bot");
      await page.fill("#input", "/train");
      await page.keyboard.press("Escape");
      await page.keyboard.press("Enter");
      await page.waitForSelector(".train-panel textarea");
      await page.fill(".train-panel textarea", readFileSync(TRAINING_TEXT_FILE, "utf8"));
      await page.selectOption(".train-panel select[name=preset]", "baby");
      await page.click(".train-panel button[type=submit]");
      await page.waitForSelector(".card.training.ended", { timeout: 180_000 });
      await page.screenshot({ path: path.join(SCREENSHOTS, "kept-best-en.png") });

      // 1. what the store kept: an earlier step than the last, with its own (lower) held-out loss
      const kept = (await pg.store.models.latestInfo("local"))!;
      expect(kept.step).toBeLessThan(STEPS);
      const run = (await pg.store.runs.latest("local"))!;
      const lastPoint = (await pg.store.runs.points("local", run.id)).find((p) => p.step === STEPS);
      expect(lastPoint?.valLoss ?? Number.POSITIVE_INFINITY).toBeGreaterThan(kept.valLoss!);

      // 2. the end line names the kept step
      const line = (await page.locator(".card.training .training-line").textContent()) ?? "";
      expect(line).toMatch(
        new RegExp(`^Training finished: ${STEPS} steps .*The weights kept are step ${kept.step}'s, whose validation loss was the lowest`),
      );

      // 3. /model show: the kept step of the planned ones, and the kept model's val loss
      const shown = await send(page, "/model show");
      expect(shown).toContain(`Trained ${formatInt(kept.step, "en")} of ${formatInt(STEPS, "en")} steps`);
      expect(shown).toContain(`val loss ${formatLoss(kept.valLoss)}`);
      await page.close();
    }, 240_000);

    it("in Japanese, /model show reports the same kept step and loss", async () => {
      const kept = (await pg.store.models.latestInfo("local"))!;
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, locale: "ja-JP" });
      await page.goto(pg.url);
      await page.waitForSelector(".message.bot");
      const shown = await send(page, "/model show");
      await page.screenshot({ path: path.join(SCREENSHOTS, "kept-best-ja.png") });
      expect(shown).toContain(`学習 ${formatInt(kept.step, "ja")} / ${formatInt(STEPS, "ja")} ステップ`);
      expect(shown).toContain(`検証損失 ${formatLoss(kept.valLoss)}`);
      await page.close();
    }, 60_000);
  },
);
