import { describe, expect, it } from "vitest";
import { isPartialLabel, pieceLegend } from "../../src/render/piece-legend.ts";
import { tokensLayout } from "../../src/render/tokens.ts";
import { trainCharBpeTokenizer } from "../../src/tokenizer/char-bpe.ts";
import { tokenPieces } from "../../src/tokenizer/pieces.ts";
import { mixedCorpus } from "../tokenizer/samples.ts";

describe("labels of partial characters in pictures", () => {
  it("recognises the labels tokenPieces makes for parts of characters, and nothing else", () => {
    const tokenizer = trainCharBpeTokenizer(mixedCorpus(), 500);
    const pieces = tokenPieces(tokenizer, [...tokenizer.encode("雨の猫 1/3 today").ids, 0xe7]);
    for (const p of pieces) expect(isPartialLabel(p.label), p.label).toBe(p.partial);
    expect(pieces.filter((p) => p.partial)).toHaveLength(4); // 猫's three bytes and the unfinished <e7>
  });

  it("adds the legend to the tokens picture only when a chip is part of a character", () => {
    const lines = (labels: string[], lang: "en" | "ja") =>
      tokensLayout({ text: labels.join(""), tokens: labels.map((text, id) => ({ id, text })), modelName: "m", lang })
        .legendLines.join("")
        .replace(/\s+/g, "");
    expect(lines(["雨", "の"], "en")).not.toContain("猫1/3");
    expect(lines(["雨", "猫\u00a01/3", "猫\u00a02/3", "猫\u00a03/3"], "en")).toContain("“猫1/3”isonebyteofacharacter");
    expect(lines(["雨", "<e7>…"], "ja")).toContain("まだ完成していない文字");
    expect(pieceLegend(["a", "b"], "en")).toBeNull();
  });
});
