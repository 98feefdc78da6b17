/**
 * The playground as a newcomer finds it (issue 19, items 5, 7 and 8), in a real headless
 * Chromium: the composer without a scrollbar when empty (both languages), the all-heads
 * picture at its natural size in a scrolling row, /explain topic: suggestions that describe
 * the topics, the explanations' words, and after a playground training the explanation naming
 * the playground's own model, not a server's. Screenshots go to out/newcomer/ (look at them).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_SPACE } from "../../src/app/model-identity.ts";
import { trainedBytes } from "../app/model-files.ts";
import { chromiumAvailable, launchChromium } from "./browser.ts";
import { startTestPlayground, type TestPlayground } from "./harness.ts";

const SCREENSHOTS = path.resolve(process.env.SCREENSHOTS_DIR ?? "out/newcomer");
const hasChromium = chromiumAvailable();

describe.skipIf(!hasChromium)(
  hasChromium ? "the playground for a newcomer" : "the playground for a newcomer (skipped: no Chromium)",
  () => {
    let pg: TestPlayground;
    let browser: Browser;
    const pages: Record<"en" | "ja", Page> = {} as never;

    beforeAll(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      pg = await startTestPlayground();
      browser = await launchChromium();
      for (const lang of ["en", "ja"] as const) {
        const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, locale: lang === "ja" ? "ja-JP" : "en-US" });
        await page.goto(pg.url);
        await page.waitForSelector(".message.bot");
        pages[lang] = page;
      }
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await pg?.close();
    });

    const shot = (lang: "en" | "ja", name: string) => pages[lang].screenshot({ path: path.join(SCREENSHOTS, `${lang}-${name}.png`) });

    /** Types a line into the composer and sends it; resolves with the answer's text once it is in. */
    async function send(lang: "en" | "ja", line: string): Promise<string> {
      const page = pages[lang];
      const before = await page.locator(".message.bot, .message.error").count();
      await page.fill("#input", line);
      await page.keyboard.press("Escape");
      await page.keyboard.press("Enter");
      await page.waitForFunction((n) => document.querySelectorAll(".message.bot:not(:has(.typing)), .message.error").length > n, before, {
        timeout: 60_000,
      });
      return (await page.locator(".message.bot .body, .message.error .body").last().textContent()) ?? "";
    }

    it.each(["en", "ja"] as const)(
      "%s: the empty composer shows no scrollbar, as opened and after typing",
      async (lang) => {
        const page = pages[lang];
        const box = () =>
          page.$eval("#input", (el) => ({
            overflow: getComputedStyle(el).overflowY,
            scrolls: el.scrollHeight > el.clientHeight,
            scrollbar: (el as HTMLElement).offsetWidth - el.clientWidth,
          }));
        // either everything fits, or the box does not offer a scrollbar for it
        const opened = await box();
        expect(opened.scrolls && opened.overflow !== "hidden", JSON.stringify(opened)).toBe(false);
        expect(opened.scrollbar).toBe(0);
        await shot(lang, "1-empty-input");
        await page.type("#input", "あa");
        await page.keyboard.press("Backspace");
        await page.keyboard.press("Backspace");
        const typed = await box();
        expect(typed.scrolls && typed.overflow !== "hidden", JSON.stringify(typed)).toBe(false);
        // many lines: now it scrolls, up to its max-height
        await page.fill("#input", "line\n".repeat(30));
        await page.evaluate(() => document.getElementById("input")!.dispatchEvent(new Event("input")));
        expect((await box()).overflow).toBe("auto");
        await page.fill("#input", "");
        await page.evaluate(() => document.getElementById("input")!.dispatchEvent(new Event("input")));
      },
      30_000,
    );

    it("shows the all-heads picture at its natural size, in a row that scrolls sideways", async () => {
      const page = pages.en;
      await send("en", "/attention The cat sat on the mat");
      const img = page.locator(".message.bot img[data-name='attention.png']").last();
      await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
      const size = await img.evaluate((el: HTMLImageElement) => {
        const row = el.closest(".images") as HTMLElement;
        return { natural: el.naturalWidth, shown: el.getBoundingClientRect().width, row: row.clientWidth, scroll: row.scrollWidth };
      });
      // every pixel of the picture on a pixel of the page: its labels as large as they were drawn
      expect(Math.round(size.shown)).toBe(size.natural);
      // wider than the message: the row scrolls, the page does not
      if (size.natural > size.row) expect(size.scroll).toBeGreaterThanOrEqual(size.natural);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await img.scrollIntoViewIfNeeded();
      await shot("en", "2-all-heads");
      // one head, large: its labels are large already, it fits the message
      await send("en", "/attention The cat sat on the mat layer:0 head:1");
      const one = page.locator(".message.bot img[data-name='attention.png']").last();
      await expect.poll(() => one.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
      const fits = await one.evaluate(
        (el: HTMLImageElement) => el.getBoundingClientRect().width <= (el.closest(".images") as HTMLElement).clientWidth,
      );
      expect(fits).toBe(true);
    }, 90_000);

    it.each(["en", "ja"] as const)(
      "%s: /explain topic: suggests each topic with a description, not its name again",
      async (lang) => {
        const page = pages[lang];
        await page.fill("#input", "");
        await page.type("#input", "/explain topic:");
        await expect.poll(() => page.locator("#suggestions li").count()).toBeGreaterThan(10);
        const items = await page.$$eval("#suggestions li", (lis) =>
          lis.map((li) => ({ name: li.querySelector(".name")!.textContent!, desc: li.querySelector(".desc")!.textContent! })),
        );
        for (const { name, desc } of items) {
          const topic = name.replace(/^topic:/, "");
          expect(desc.trim(), name).not.toBe("");
          expect(desc.trim(), name).not.toBe(topic);
          expect(desc.startsWith(`${topic}:`), `${name}: ${desc}`).toBe(false);
        }
        const attention = items.find((i) => i.name === "topic:attention")!;
        expect(attention.desc).toBe(
          lang === "ja"
            ? "クエリ・キー・バリュー: トークンが前を振り返るしくみ"
            : "Query, Key and Value: how tokens look back at each other",
        );
        await shot(lang, "3-explain-topics");
        await page.keyboard.press("Escape");
        await page.fill("#input", "");
      },
      30_000,
    );

    it.each(["en", "ja"] as const)(
      "%s: /explain topic:attention explains √d, names no 'key' column, counts layers as the pictures",
      async (lang) => {
        const body = await send(lang, "/explain topic:attention");
        expect(body).toContain(lang === "ja" ? "使用モデル: 既定のモデル" : "Model: default model");
        expect(body).toContain(lang === "ja" ? "なぜ√32か" : "why √32");
        expect(body).toContain(lang === "ja" ? "見ているトークン" : "looked-at token");
        expect(body).toContain(lang === "ja" ? "」の全トークン" : "“It rained yesterday, but today it is…”");
        if (lang === "ja") {
          expect(body).not.toMatch(/第\d+層/);
          expect(body).toMatch(/レイヤー\d+のヘッド\d+/);
        }
        await pages[lang].locator(".message.bot").last().scrollIntoViewIfNeeded();
        await shot(lang, "4-explain-attention");
        const network = await send(lang, "/explain topic:neural-network");
        expect(network).not.toMatch(lang === "ja" ? /記事/ : /article/i);
      },
      90_000,
    );

    it.each(["en", "ja"] as const)(
      "%s: after a playground training, /explain speaks of the playground's own model",
      async (lang) => {
        // what a finished training in the page leaves: the space's own model, installed
        if ((await pg.store.models.latestInfo(LOCAL_SPACE)) === undefined) await pg.registry.install(LOCAL_SPACE, trainedBytes(1, 3.25));
        const id = (await pg.store.models.latestInfo(LOCAL_SPACE))!.id;
        const body = await send(lang, "/explain topic:loss");
        const first = body.split("\n")[0];
        expect(first).toBe(
          lang === "ja"
            ? `使用モデル: あなたのモデル #${id}（ここで渡した文章で学習した、このプレイグラウンド専用のモデル）`
            : `Model: your model #${id}, the playground's own model, trained on the texts given here.`,
        );
        expect(body).not.toMatch(/server|サーバー/);
        await pages[lang].locator(".message.bot").last().scrollIntoViewIfNeeded();
        await shot(lang, "5-explain-own-model");
      },
      90_000,
    );
  },
);
