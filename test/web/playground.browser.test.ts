/**
 * The playground driven in a real headless Chromium: chat, autocompletion, /attention's picture,
 * a short /train with the loss curve updating live, HTML typed by the user shown as text, and the
 * Japanese interface. Screenshots of each state go to out/playground/ (look at them).
 */
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attentionPicture } from "../../src/app/attention.ts";
import { chromiumAvailable, launchChromium } from "./browser.ts";
import { startTestPlayground, type TestPlayground, TRAINING_TEXT_FILE } from "./harness.ts";

const SCREENSHOTS = path.resolve("out/playground");
const hasChromium = chromiumAvailable();

describe.skipIf(!hasChromium)(hasChromium ? "the playground in Chromium" : "the playground in Chromium (skipped: no Chromium)", () => {
  let pg: TestPlayground;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    // baby with evaluations every 5 steps: a training of a few seconds, long enough to watch
    pg = await startTestPlayground({ steps: 30, evalInterval: 5, evalBatches: 2 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 900 }, locale: "en-US" });
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pg.url);
    await page.waitForSelector(".message.bot");
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await pg?.close();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  const botMessages = () => page.locator(".message.bot:not(:has(.typing))");

  /** Types a line into the composer and sends it; resolves once the answer is in. */
  async function send(line: string): Promise<void> {
    const before = await page.locator(".message.bot, .message.error").count();
    await page.fill("#input", line);
    await page.keyboard.press("Escape"); // close suggestions so Enter sends
    await page.keyboard.press("Enter");
    await page.waitForFunction((n) => document.querySelectorAll(".message.bot:not(:has(.typing)), .message.error").length > n, before, {
      timeout: 30_000,
    });
  }

  it("a message gets a reply from the model", async () => {
    await send("Hello! What is attention?");
    const reply = botMessages().last().locator(".body");
    expect((await reply.textContent())!.trim().length).toBeGreaterThan(0);
    expect(await page.locator(".message.user .body").last().textContent()).toBe("Hello! What is attention?");
    await shot("1-chat");
  }, 60_000);

  it("autocompletes commands and options", async () => {
    await page.fill("#input", "");
    await page.type("#input", "/att");
    await expect.poll(() => page.locator("#suggestions li .name").allTextContents()).toEqual(["/attention"]);
    await page.keyboard.press("Tab");
    expect(await page.inputValue("#input")).toBe("/attention ");
    await page.type("#input", "The cat sat on the mat he");
    await expect.poll(() => page.locator("#suggestions li .name").allTextContents()).toEqual(["head:"]);
    await shot("2-autocomplete");
    await page.keyboard.press("Escape");
    await page.fill("#input", "");
  }, 30_000);

  it("/attention shows the bot's picture inline, decoded at its full size", async () => {
    await send("/attention The cat sat on the mat");
    const img = page.locator("img[data-name='attention.png']").last();
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
    const shown = await img.evaluate((el: HTMLImageElement) => ({ width: el.naturalWidth, height: el.naturalHeight }));
    // the same picture the use case draws for the bot
    const handle = await pg.registry.forGuild("local");
    const direct = await attentionPicture({ ...handle, name: "default model" }, "The cat sat on the mat", { lang: "en" });
    const view = new DataView(direct.png.buffer, direct.png.byteOffset);
    expect(shown).toEqual({ width: view.getUint32(16), height: view.getUint32(20) });
    await img.scrollIntoViewIfNeeded();
    await shot("3-attention");
  }, 60_000);

  it("shows typed HTML as text, never as markup", async () => {
    const attack = "<img src=x onerror=alert(1)>";
    await send(attack);
    expect(await page.locator(".message.user .body").last().textContent()).toBe(attack);
    expect(await page.locator(".message.user img").count()).toBe(0);
    await send(`/predict ${attack}`);
    expect(await botMessages().last().locator(".body").textContent()).toContain(`“${attack}”`);
    expect(dialogs).toEqual([]);
    await shot("4-html-as-text");
  }, 60_000);

  it("/train on a pasted text: the loss curve updates live, then the model is kept", async () => {
    await send("/train");
    await page.fill(".train-panel textarea", readFileSync(TRAINING_TEXT_FILE, "utf8"));
    await page.selectOption(".train-panel select[name=preset]", "baby");
    await page.fill(".train-panel input[name=minutes]", "1");
    // every curve picture that finished loading, by its number of points
    await page.evaluate(() => {
      (window as unknown as { curves: string[] }).curves = [];
      document.addEventListener(
        "load",
        (e) => {
          const el = e.target as HTMLImageElement;
          if (el.classList?.contains("curve") && el.naturalWidth > 0)
            (window as unknown as { curves: string[] }).curves.push(el.dataset.points!);
        },
        true,
      );
    });
    await page.click(".train-panel button[type=submit]");
    await page.waitForSelector(".card.training .curve:not([hidden])", { timeout: 60_000 });
    await shot("5-training");
    await page.waitForSelector(".card.training.ended", { timeout: 120_000 });
    await page.waitForTimeout(500);
    await shot("6-trained");
    const curves = await page.evaluate(() => (window as unknown as { curves: string[] }).curves);
    expect(new Set(curves).size).toBeGreaterThanOrEqual(2);
    expect(await page.locator(".card.training .training-line").textContent()).toMatch(/^Training finished: 30 steps/);
    expect((await pg.store.models.latestInfo("local"))?.step).toBe(30);
    await expect.poll(() => page.textContent("#model-name")).toMatch(/your model #\d+/);
  }, 180_000);

  it("/train on an uploaded .txt file can be stopped, keeping the last checkpoint", async () => {
    await send("/train");
    const panel = page.locator(".train-panel").last();
    await panel
      .locator("input[type=file]")
      .setInputFiles({ name: "attention.txt", mimeType: "text/plain", buffer: readFileSync(TRAINING_TEXT_FILE) });
    await expect.poll(() => panel.locator("textarea").inputValue()).toContain("Attention");
    await panel.locator("select[name=preset]").selectOption("baby");
    await panel.locator("button[type=submit]").click();
    const card = page.locator(".card.training").last();
    // stop once the first evaluation (a checkpoint) is in
    await expect.poll(() => card.locator(".training-line").textContent(), { timeout: 60_000 }).toMatch(/val loss \d/);
    await card.locator("button.danger").click();
    await page.waitForSelector(".card.training.ended >> nth=1", { timeout: 60_000 });
    expect(await card.locator(".training-line").textContent()).toMatch(
      /^Training stopped at step \d+ of 30\. The last checkpoint \(step \d+/,
    );
    await shot("6b-stopped");
    const run = await pg.store.runs.latest("local");
    expect(run?.status).toBe("stopped");
  }, 120_000);

  it("speaks Japanese to a Japanese browser", async () => {
    const ja = await browser.newPage({ viewport: { width: 1100, height: 700 }, locale: "ja-JP" });
    await ja.goto(pg.url);
    await ja.waitForSelector(".message.bot");
    expect(await ja.getAttribute("#input", "placeholder")).toBe("話しかけるか、/ でコマンドを入力");
    await ja.fill("#input", "/predict 今日は");
    await ja.keyboard.press("Escape");
    await ja.keyboard.press("Enter");
    await ja.waitForSelector("img[data-name='predict.png']");
    expect(await ja.locator(".message.bot .body").last().textContent()).toMatch(/^「今日は」の次に来そうなトークン/);
    await ja.waitForTimeout(300);
    await ja.screenshot({ path: path.join(SCREENSHOTS, "7-japanese.png") });
    await ja.close();
  }, 60_000);
});
