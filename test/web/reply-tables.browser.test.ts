/**
 * A reply's tables in the playground, in a real headless Chromium: /why's scores and /predict's
 * candidates as HTML tables (number cells right-aligned), in English and Japanese. Screenshots go
 * to out/playground/ (look at them).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, launchChromium } from "./browser.ts";
import { startTestPlayground, type TestPlayground } from "./harness.ts";

const SCREENSHOTS = path.resolve(process.env.SCREENSHOTS_DIR ?? "out/playground");
const hasChromium = chromiumAvailable();

describe.skipIf(!hasChromium)(hasChromium ? "reply tables in Chromium" : "reply tables in Chromium (skipped: no Chromium)", () => {
  let pg: TestPlayground;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    pg = await startTestPlayground();
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await pg?.close();
  });

  /** Opens the page in `locale`, sends `line`, and returns the last answer's table cells, row by row. */
  async function tableOf(locale: string, line: string, shot: string): Promise<{ cells: string[][]; numeric: boolean[][] }> {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 }, locale });
    try {
      await page.goto(pg.url);
      await page.waitForSelector(".message.bot");
      await page.fill("#input", line);
      await page.keyboard.press("Escape");
      await page.keyboard.press("Enter");
      const table = page.locator(".message.bot .reply-table").last();
      await table.waitFor({ timeout: 30_000 });
      await table.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SCREENSHOTS, shot) });
      return await table.evaluate((t: HTMLTableElement) => ({
        cells: [...t.rows].map((r) => [...r.cells].map((c) => c.textContent ?? "")),
        numeric: [...t.rows].map((r) => [...r.cells].map((c) => c.classList.contains("num"))),
      }));
    } finally {
      await page.close();
    }
  }

  it("/why (English): a header and one row per token, its two scores right-aligned", async () => {
    const { cells, numeric } = await tableOf("en-US", "/why The cat sat on the mat", "tables-why-en.png");
    expect(cells[0]).toEqual(["token", "grad × input", "occlusion"]);
    expect(cells.length).toBeGreaterThan(2);
    for (const row of cells.slice(1)) for (const score of row.slice(1)) expect(score).toMatch(/^[+−]\d+\.\d\d$/);
    expect(numeric.slice(1).every((row) => row.join() === "false,true,true")).toBe(true);
  }, 60_000);

  it("/predict (Japanese): rank, token and probability in columns", async () => {
    const { cells, numeric } = await tableOf("ja-JP", "/predict 今日は", "tables-predict-ja.png");
    expect(cells.length).toBeGreaterThan(1);
    cells.forEach((row, i) => {
      expect(row[0]).toBe(`${i + 1}.`);
      expect(row[2]).toMatch(/^\d+\.\d %$/);
    });
    expect(numeric.every((row) => row.join() === "true,false,true")).toBe(true);
  }, 60_000);
});
