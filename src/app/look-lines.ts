/**
 * The few lines of text beside the /lens, /why and /ablate pictures, in both languages. The
 * adapter passes the quoted end of the user's text (already made safe for its surface) and the
 * model's display name; tokens come back in code spans with whitespace visible.
 */
import type { Lang } from "../lang.ts";
import { formatPercent } from "../render/format.ts";
import { visibleToken } from "../render/text.ts";
import type { AblationResult } from "./ablate.ts";
import { headsText } from "./ablate.ts";
import type { AttributionResult } from "./attribute.ts";
import type { LensResult } from "./lens.ts";

/** Inline code that survives backticks in the token. */
function code(token: string): string {
  const shown = visibleToken(token) || "∅";
  return shown.includes("`") ? `\`\` ${shown} \`\`` : `\`${shown}\``;
}

const signed = (v: number) => (v >= 0 ? `+${v.toFixed(2)}` : `−${Math.abs(v).toFixed(2)}`);

export function lensLines(result: LensResult, quote: string, model: string, lang: Lang): string[] {
  const T = result.inputIds.length;
  const depths = result.layers.map((d) => d.positions[T - 1].top[0]);
  const out = depths[depths.length - 1];
  const path = depths.map((c) => code(c.token)).join(" → ");
  return lang === "ja"
    ? [
        `「${quote}」の次のトークンを、${model}の各深さ（埋め込み → 各レイヤーの後 → 出力）で読みました。出力の第1候補は ${code(out.token)}（${formatPercent(out.prob)}）。`,
        `最後のトークンの第1候補: ${path}`,
      ]
    : [
        `The next token after “${quote}”, read at every depth of ${model} (embeddings → after each layer → output). The output's top guess: ${code(out.token)} (${formatPercent(out.prob)}).`,
        `Top guess for the last token: ${path}`,
      ];
}

export function whyLines(result: AttributionResult, quote: string, model: string, lang: Lang): string[] {
  const best = (scores: number[]) => scores.reduce((b, s, i) => (s > scores[b] ? i : b), 0);
  const g = best(result.gradient);
  const o = best(result.occlusion);
  const t = result.target;
  const label = (i: number) => code(result.inputTokens[i]);
  return lang === "ja"
    ? [
        `${model}は「${quote}」の次に ${code(t.token)}（${formatPercent(t.prob)}${t.predicted ? "、予測された第1候補" : "、指定された対象"}）。`,
        `いちばん後押ししたトークン — 勾配×入力: ${label(g)}（${signed(result.gradient[g])}）、遮蔽（取り除くと）: ${label(o)}（${signed(result.occlusion[o])}）。単位は log p。`,
      ]
    : [
        `${model} after “${quote}”: ${code(t.token)} (${formatPercent(t.prob)}${t.predicted ? ", its top guess" : ", the target you chose"}).`,
        `The token that pushed it most — gradient × input: ${label(g)} (${signed(result.gradient[g])}); occlusion (removed): ${label(o)} (${signed(result.occlusion[o])}). In log p.`,
      ];
}

export function ablateLines(result: AblationResult, quote: string, model: string, lang: Lang): string[] {
  const before = result.before[0];
  const after = result.after[0];
  const heads = headsText(result.heads);
  const without = result.beforeTokensAfter[0].prob;
  return lang === "ja"
    ? [
        `${model}、「${quote}」の次: ${code(before.token)} ${formatPercent(before.prob)}。ヘッド ${heads} を止めると ${formatPercent(without)}、第1候補は ${code(after.token)}（${formatPercent(after.prob)}）${result.chosenFromGrid ? "（最も効いているヘッドを止めました）" : ""}。`,
        "表: ヘッドを1つだけ止めたときの第1候補の log p の変化（レイヤー × ヘッド）。",
      ]
    : [
        `${model} after “${quote}”: ${code(before.token)} ${formatPercent(before.prob)}. With heads ${heads} off: ${formatPercent(without)}, and the top guess is ${code(after.token)} (${formatPercent(after.prob)})${result.chosenFromGrid ? " (the most decisive head switched off)" : ""}.`,
        "The grid: the change in the top token's log p with each head alone switched off (layers × heads).",
      ];
}

/** The line /predict adds when heads were switched off for it. */
export function headsOffLine(heads: readonly { layer: number; head: number }[], lang: Lang): string {
  const list = headsText(heads);
  return lang === "ja" ? `（ヘッド ${list} を止めたモデルの予測です）` : `(predicted by the model with heads ${list} switched off)`;
}
