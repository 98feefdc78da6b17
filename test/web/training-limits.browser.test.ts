/**
 * The training panel in a real headless Chromium: the limits are on the panel before anything is
 * pasted (per preset, and the maximum), a live count says how far the text is from the chosen
 * preset's need, a paste over the maximum is cut with a word (the panel's box and the chat
 * input), in English and Japanese; and the progress bar of a stopped run stays where the run
 * ended, step N of its planned M. Screenshots go to out/playground/limits-*.png.
 */
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, launchChromium } from "./browser.ts";
import { startTestPlayground, type TestPlayground, TRAINING_TEXT_FILE } from "./harness.ts";

const SCREENSHOTS = path.resolve("out/playground");
const hasChromium = chromiumAvailable();

/** A paste of `text` into the element matching `selector`, as the clipboard would deliver it. */
async function paste(page: Page, selector: string, text: string): Promise<void> {
  await page
    .locator(selector)
    .last()
    .evaluate((el, t) => {
      (el as HTMLTextAreaElement).focus();
      const data = new DataTransfer();
      data.setData("text/plain", t);
      el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, text);
}

describe.skipIf(!hasChromium)(
  hasChromium ? "the training panel's limits in Chromium" : "the training panel's limits in Chromium (skipped: no Chromium)",
  () => {
    let pg: TestPlayground;
    let browser: Browser;

    beforeAll(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      // 400 steps with an evaluation every 5: long enough to stop in the middle
      pg = await startTestPlayground({ steps: 400, evalInterval: 5, evalBatches: 2 });
      browser = await launchChromium();
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await pg?.close();
    });

    async function openPanel(locale: string): Promise<Page> {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, locale });
      await page.goto(pg.url);
      await page.waitForSelector(".message.bot");
      await page.fill("#input", "/train");
      await page.keyboard.press("Escape");
      await page.keyboard.press("Enter");
      await page.waitForSelector(".train-panel .train-limits");
      return page;
    }

    it("shows what each preset needs and the maximum before anything is pasted, and counts against the chosen preset", async () => {
      const page = await openPanel("en-US");
      const panel = page.locator(".train-panel").last();
      const limits = await panel.locator(".train-limits").textContent();
      expect(limits).toContain("tiny 342+ characters, baby 1,302+ characters, in 10 or more lines or paragraphs");
      expect(limits).toContain("At most 1,000,000 characters");
      // 15 lines, 809 characters: short of baby's 1,302, enough for tiny
      const lines = Array.from({ length: 15 }, (_, i) => `line ${String(i).padStart(2, "0")}: ${"w".repeat(44)}`).join("\n");
      expect(lines.length).toBe(15 * 53 + 14);
      await panel.locator("select[name=preset]").selectOption("baby");
      await panel.locator("textarea").fill(lines);
      const count = panel.locator(".train-count");
      await expect
        .poll(() => count.textContent())
        .toBe(`809 / 1,302 · baby needs at least 1,302 characters in 10 or more lines or paragraphs`);
      expect(await count.evaluate((el) => el.classList.contains("enough"))).toBe(false);
      await page.screenshot({ path: path.join(SCREENSHOTS, "limits-en.png") });
      await panel.locator("select[name=preset]").selectOption("tiny");
      await expect.poll(() => count.evaluate((el) => el.classList.contains("enough"))).toBe(true);
      expect(await count.textContent()).toMatch(/^809 \/ 342 · tiny needs/);
      await page.close();
    }, 60_000);

    it("says when a paste is cut to the maximum: the panel's text box, and the chat input", async () => {
      const page = await openPanel("en-US");
      const panel = page.locator(".train-panel").last();
      await paste(page, ".train-panel textarea", "x".repeat(1_000_000 + 2_345));
      await expect
        .poll(() => panel.locator(".train-cut").textContent())
        .toBe("The text was cut to 1,000,000 of its 1,002,345 characters (the maximum).");
      expect(await panel.locator("textarea").evaluate((el) => (el as HTMLTextAreaElement).value.length)).toBe(1_000_000);
      expect(await panel.locator(".train-cut").isVisible()).toBe(true);
      // the chat input holds 6,000 characters; a 10,000-character paste is said to be cut
      expect(await page.locator("#input").evaluate((el) => (el as HTMLTextAreaElement).maxLength)).toBe(6000);
      await paste(page, "#input", "y".repeat(10_000));
      await expect.poll(() => page.textContent("#hint")).toBe("The text was cut to 6,000 of its 10,000 characters (the maximum).");
      await page.screenshot({ path: path.join(SCREENSHOTS, "limits-cut-en.png") });
      await page.close();
    }, 60_000);

    it("says the limits and the cut in Japanese", async () => {
      const page = await openPanel("ja-JP");
      const panel = page.locator(".train-panel").last();
      expect(await panel.locator(".train-limits").textContent()).toContain("baby は 1,302 文字以上");
      await paste(page, "#input", "あ".repeat(7_000));
      await expect.poll(() => page.textContent("#hint")).toBe("文章を 7,000 文字のうち 6,000 文字に切り詰めました（上限）。");
      await page.screenshot({ path: path.join(SCREENSHOTS, "limits-ja.png") });
      await page.close();
    }, 60_000);

    it("shows step N of the planned M while training, and a stopped run's bar stays at its last step, not 100 %", async () => {
      const page = await openPanel("en-US");
      const panel = page.locator(".train-panel").last();
      await panel.locator("textarea").fill(readFileSync(TRAINING_TEXT_FILE, "utf8"));
      await panel.locator("select[name=preset]").selectOption("baby");
      await panel.locator("button[type=submit]").click();
      const card = page.locator(".card.training").last();
      const bar = card.locator(".progress");
      await expect.poll(() => bar.getAttribute("data-total"), { timeout: 60_000 }).toBe("400");
      await expect.poll(() => card.locator(".training-line").textContent(), { timeout: 60_000 }).toMatch(/step \d+ \/ 400/);
      await card.locator("button.danger").click();
      await page.waitForSelector(".card.training.ended", { timeout: 60_000 });
      const step = Number(await bar.getAttribute("data-step"));
      expect(step).toBeGreaterThan(0);
      expect(step).toBeLessThan(400);
      const width = await bar.locator("div").evaluate((el) => (el as HTMLElement).style.width);
      expect(width).toBe(`${((100 * step) / 400).toFixed(1)}%`);
      await page.screenshot({ path: path.join(SCREENSHOTS, "limits-stopped.png") });
      await page.close();
    }, 120_000);
  },
);
