/**
 * The header's model picker and a training's "Use it", in a real headless Chromium: the
 * playground's models listed with their kind, size and val loss, the one in use selected;
 * choosing another says so in the chat and in the header; a training the playground cannot
 * compare with the model in use is kept, not chosen, until "Use it" is pressed. Screenshots in
 * both languages go to out/playground/ (look at them).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeGpt2Folder } from "../app/model-files.ts";
import { chromiumAvailable, launchChromium } from "./browser.ts";
import { startTestPlayground, type TestPlayground, TRAINING_TEXT_FILE } from "./harness.ts";

const SCREENSHOTS = path.resolve("out/playground");
const hasChromium = chromiumAvailable();

describe.skipIf(!hasChromium)(hasChromium ? "the model picker in Chromium" : "the model picker in Chromium (skipped: no Chromium)", () => {
  let pg: TestPlayground;
  let browser: Browser;
  let page: Page;
  let modelsDir: string;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    modelsDir = mkdtempSync(path.join(tmpdir(), "picker-models-"));
    writeGpt2Folder(path.join(modelsDir, "tiny-gpt2"));
    pg = await startTestPlayground({ steps: 30, evalInterval: 10, evalBatches: 2 }, { installPolicy: "ask", modelsDir });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 800 }, locale: "en-US" });
    await page.goto(pg.url);
    await page.waitForSelector("#model-picker:not([hidden])");
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await pg?.close();
    rmSync(modelsDir, { recursive: true, force: true });
  });

  const options = () => page.locator("#model-picker option").allTextContents();
  const lastBot = () => page.locator(".message.bot .body").last();

  it("lists the playground's models, the one in use selected", async () => {
    expect(await options()).toEqual([
      expect.stringMatching(/^default — shipped · [\d.]+ M parameters · val loss (\d\.\d{3}|–)$/),
      expect.stringMatching(/^tiny-gpt2 — imported \(host\) · [\d.]+ k parameters · val loss –$/),
    ]);
    expect(await page.inputValue("#model-picker")).toBe("default");
    expect(await page.getAttribute("#model-picker", "aria-label")).toBe("Model that answers");
  }, 30_000);

  it("choosing another model says so in the chat and in the header", async () => {
    await page.selectOption("#model-picker", "tiny-gpt2");
    await expect.poll(() => lastBot().textContent()).toBe("tiny-gpt2 answers here from now on (instead of default).");
    await expect.poll(() => page.textContent("#model-name")).toBe("model: tiny-gpt2");
    expect(await pg.store.models.chosen("local")).toEqual({ kind: "imported", name: "tiny-gpt2" });
    await page.click("#model-picker");
    await page.screenshot({ path: path.join(SCREENSHOTS, "8-model-picker.png") });
    await page.keyboard.press("Escape");
    await page.selectOption("#model-picker", "default");
    await expect.poll(() => page.textContent("#model-name")).toBe("model: default model");
  }, 30_000);

  it("a training that cannot be compared is kept, not chosen, until Use it is pressed", async () => {
    await page.fill("#input", "/train");
    await page.keyboard.press("Escape");
    await page.keyboard.press("Enter");
    await page.waitForSelector(".train-panel textarea");
    await page.fill(".train-panel textarea", readFileSync(TRAINING_TEXT_FILE, "utf8"));
    await page.selectOption(".train-panel select[name=preset]", "tiny");
    await page.click(".train-panel button[type=submit]");
    await page.waitForSelector(".card.training.ended", { timeout: 120_000 });
    expect(await page.locator(".card.training .training-line").textContent()).toMatch(
      /The new model #1 is kept, but the shipped model still answers: .* To switch, press Use it or run \/model use ref:#1\.$/,
    );
    expect(await page.inputValue("#model-picker")).toBe("default");
    const use = page.locator(".card.training button[data-ref='#1']");
    expect(await use.textContent()).toBe("Use it");
    await page.screenshot({ path: path.join(SCREENSHOTS, "9-use-it.png") });
    await use.click();
    await expect.poll(() => lastBot().textContent()).toBe("#1 answers here from now on (instead of default).");
    await expect.poll(() => page.inputValue("#model-picker")).toBe("#1");
    expect(await use.count()).toBe(0);
  }, 180_000);

  it("in Japanese", async () => {
    const ja = await browser.newPage({ viewport: { width: 1100, height: 700 }, locale: "ja-JP" });
    await ja.goto(pg.url);
    await ja.waitForSelector("#model-picker:not([hidden])");
    expect(await ja.locator("#model-picker option").allTextContents()).toEqual([
      expect.stringMatching(/^default — 付属 · パラメータ [\d.]+ M · 検証損失/),
      expect.stringMatching(/^#1 — ここで学習 · パラメータ [\d.]+ k · 検証損失 \d\.\d{3}$/),
      expect.stringMatching(/^tiny-gpt2 — 取り込み（ホスト） · /),
    ]);
    expect(await ja.getAttribute("#model-picker", "aria-label")).toBe("答えるモデル");
    await ja.screenshot({ path: path.join(SCREENSHOTS, "10-model-picker-ja.png") });
    await ja.close();
  }, 60_000);
});
