/** /lens, /why and /ablate in the playground: the use cases' pictures, and bad heads as a 400 in the page's language. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ablateNext, predictAblated } from "../../src/app/ablate.ts";
import { predictPicture } from "../../src/app/pictures.ts";
import { predictNext } from "../../src/app/predict.ts";
import { ablationPicture, lensPicture } from "../../src/app/look-pictures.ts";
import { lensOf } from "../../src/app/lens.ts";
import { attributeNext } from "../../src/app/attribute.ts";
import { postJson, startTestPlayground, type TestPlayground } from "./harness.ts";

let pg: TestPlayground;
const api = (path: string) => new URL(path, pg.url).href;

beforeAll(async () => {
  pg = await startTestPlayground();
});
afterAll(async () => {
  await pg.close();
});

async function imageOf(body: Record<string, unknown>): Promise<Buffer> {
  const [image] = body.images as { url: string }[];
  return Buffer.from(await (await fetch(api(image.url))).arrayBuffer());
}

describe("the playground's /lens, /why and /ablate", () => {
  it("answer with the use cases' own pictures and lines", async () => {
    const handle = await pg.registry.forGuild("local");
    const lens = await postJson(api("/api/command"), { line: "/lens The cat sat k:2", lang: "en" });
    expect(lens.status).toBe(200);
    expect(lens.body.text).toMatch(/^The next token after “The cat sat”, read at every depth of default model/);
    expect(
      (await imageOf(lens.body)).equals(Buffer.from(await lensPicture(lensOf(handle, "The cat sat", { k: 2 }), "en", "default model"))),
    ).toBe(true);
    const why = await postJson(api("/api/command"), { line: "/why 今日は良い天気", lang: "ja" });
    expect(why.status).toBe(200);
    expect(why.body.text).toMatch(/勾配×入力/);
    const ablate = await postJson(api("/api/command"), { line: "/ablate text:The cat sat heads:1.0,2", lang: "en" });
    expect(ablate.status).toBe(200);
    expect(ablate.body.text).toMatch(/With heads 1\.0,2\.0,2\.1,2\.2,2\.3 off/);
    const direct = await ablationPicture(ablateNext(handle, "The cat sat", { heads: "1.0,2" }), "en", "default model");
    expect((await imageOf(ablate.body)).equals(Buffer.from(direct))).toBe(true);
  });

  it("carry each reply table's cells, in order between its text, for the page to lay out as a table", async () => {
    const handle = await pg.registry.forGuild("local");
    const text = "The cat sat";
    const { status, body } = await postJson(api("/api/command"), { line: `/why ${text}`, lang: "en" });
    expect(status).toBe(200);
    const blocks = body.blocks as ({ text: string } | { table: string[][] })[];
    expect(blocks.map((b) => ("table" in b ? "table" : "text"))).toEqual(["text", "table"]);
    const table = (blocks[1] as { table: string[][] }).table;
    // a header, then one row per input token: its label, then its two scores as the reply signs them
    const why = attributeNext(handle, text);
    const signed = (v: number) => (v >= 0 ? `+${v.toFixed(2)}` : `−${Math.abs(v).toFixed(2)}`);
    expect(table[0]).toEqual(["token", "grad × input", "occlusion"]);
    expect(table.slice(1).map((row) => row.slice(1))).toEqual(
      why.inputIds.map((_, i) => [signed(why.gradient[i]), signed(why.occlusion[i])]),
    );
    expect(table.slice(1).every((row) => row[0].startsWith("**") && row[0].endsWith("**"))).toBe(true);
    // the text is still the whole reply, a table's rows as lines of their cells
    expect(body.text).toBe([(blocks[0] as { text: string }).text, ...table.map((row) => row.join(" "))].join("\n"));
    // a reply without a table carries its text alone
    const plain = await postJson(api("/api/command"), { line: "/model", lang: "en" });
    expect(plain.body.blocks).toBeUndefined();
  });

  it("/predict heads: the ablated model's candidates and picture, and a line saying which heads are off", async () => {
    const handle = await pg.registry.forGuild("local");
    const { status, body } = await postJson(api("/api/command"), { line: "/predict text:The cat k:5 heads:0", lang: "en" });
    expect(status).toBe(200);
    expect(body.text).toMatch(/\(predicted by the model with heads 0\.0,0\.1,0\.2,0\.3 switched off\)/);
    const direct = await predictPicture(predictAblated(handle, "The cat", { k: 5, heads: "0" }), "en", "default model");
    expect((await imageOf(body)).equals(Buffer.from(direct))).toBe(true);
    const plain = await predictPicture(predictNext(handle, "The cat", { k: 5 }), "en", "default model");
    expect(Buffer.from(direct).equals(Buffer.from(plain))).toBe(false);
  });

  it("refuse bad heads with the value, and heads the model lacks with its counts", async () => {
    const cases: [string, "en" | "ja", RegExp][] = [
      ["/ablate text:The cat heads:1.x", "en", /heads must be layer\.head pairs .* \(you gave 1\.x; “1\.x” is not one\)/],
      ["/ablate text:The cat heads:1.x", "ja", /「1\.x」が読めません/],
      ["/ablate text:The cat heads:0.9", "en", /Head 9 does not exist: this model has heads 0–3 in each layer/],
      ["/ablate text:The cat heads:7", "ja", /レイヤー 7 はありません。このモデルのレイヤーは 0〜3 です/],
      ["/why text:The cat target:the cat", "en", /The target must be one token of this model's vocabulary: “the cat” is \d+ tokens/],
      ["/predict text:The cat heads:3.4", "en", /Head 4 does not exist: this model has heads 0–3 in each layer/],
      ["/lens text:The cat k:11", "en", /k must be a whole number from 1 to 10 \(you gave 11\)/],
    ];
    for (const [line, lang, expected] of cases) {
      const { status, body } = await postJson(api("/api/command"), { line, lang });
      expect(status, line).toBe(400);
      expect(body.error, line).toMatch(expected);
    }
  });
});
