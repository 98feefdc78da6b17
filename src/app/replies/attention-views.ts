/**
 * /attention view:rollout and view:next as Replies (src/app/attention-views.ts): the picture, the
 * line that reads it, and the numbers behind it (the input tokens that reached the last position
 * most; per layer, the tokens the last query looked at most).
 */
import { formatPercent } from "../../render/format.ts";
import { visibleToken } from "../../render/text.ts";
import { nextTokenAttention, rolloutOf } from "../attention-views.ts";
import { nextAttentionPicture, rolloutPicture } from "../look-pictures.ts";
import { line, modelPart, type Part, quote, quoteTail, type Reply, type ReplyContext, text, token } from "../reply.ts";
import { SENTENCES } from "../sentences.ts";
import { promptNotices } from "./notices.ts";

export type AttentionView = "rollout" | "next";

/** Input tokens listed under a rollout, and per layer under the next token's attention. */
export const ROLLOUT_ROWS = 5;
export const NEXT_TOP = 3;

const pct = (p: number) => text(formatPercent(p));
const shownToken = (t: string) => token(visibleToken(t));

/** The positions of the `n` largest weights, largest first (the earlier position on ties). */
function strongest(weights: readonly number[], n: number): number[] {
  return weights
    .map((w, i) => ({ w, i }))
    .sort((a, b) => b.w - a.w || a.i - b.i)
    .slice(0, n)
    .map((x) => x.i);
}

/** The work of a checked view (the text and the options were checked by attentionReply). */
export async function attentionViewReply(rc: ReplyContext, input: string, view: AttentionView): Promise<Reply> {
  const model = modelPart(rc.handle, rc.lang);
  const ja = rc.lang === "ja";
  const shown: Part = input.length === 0 ? text(SENTENCES[rc.lang].emptyText) : quote(quoteTail(input));
  if (view === "rollout") {
    const result = await rc.heavy(() => rolloutOf(rc.handle, input));
    const png = await rc.heavy(() => rolloutPicture(result, rc.lang, model.name));
    const T = result.tokens.length;
    const last = Array.from(result.rollout.subarray((T - 1) * T, T * T));
    const header = ja
      ? line`「${shown}」のアテンション・ロールアウト（${model}、${result.layers}層）: 各層を Â = ½ × ヘッドの平均アテンション + ½ × 単位行列（行の合計を1に直す）とし、層の順に掛け合わせました（R = Â${String(result.layers - 1)} ··· Â0）。最後のトークン ${shownToken(result.tokens[T - 1])} に届いた割合の大きい入力トークン:`
      : line`Attention rollout of “${shown}” (${model}, ${result.layers} layers): each layer as Â = ½ × its heads' mean attention + ½ × the identity (rows rescaled to sum to 1), multiplied in order (R = Â${String(result.layers - 1)} ··· Â0). The input tokens that reach the last token ${shownToken(result.tokens[T - 1])} most:`;
    const rows = strongest(last, ROLLOUT_ROWS).map((k) => [text(`#${k}`), shownToken(result.tokens[k]), pct(last[k])]);
    return { body: [{ line: header }, { table: rows }], notices: promptNotices(rc.lang, result), pictures: [{ name: "rollout.png", png }] };
  }
  const result = await rc.heavy(() => nextTokenAttention(rc.handle, input));
  const png = await rc.heavy(() => nextAttentionPicture(result, rc.lang, model.name));
  const p = result.predicted;
  const header = ja
    ? line`${model}は「${shown}」の次に ${shownToken(p.token)}（${pct(p.prob)}）を予測します。それを選んだ最後のトークンのクエリが注目した入力トークン（レイヤーごとにヘッドの平均、最後の行は全レイヤーのロールアウト）:`
    : line`${model} predicts ${shownToken(p.token)} (${pct(p.prob)}) after “${shown}”. The input tokens the last token's query looked at to choose it (each layer's heads averaged; the last row: the rollout through all layers):`;
  const rowOf = (name: string, weights: readonly number[]) => [
    text(name),
    ...strongest(weights, NEXT_TOP).flatMap((k) => [shownToken(result.tokens[k]), pct(weights[k])]),
  ];
  const rows = [
    ...result.layers.map((w, l) => rowOf(ja ? `レイヤー${l}` : `layer ${l}`, w)),
    rowOf(ja ? "ロールアウト" : "rollout", result.rollout),
  ];
  return {
    body: [{ line: header }, { table: rows }],
    notices: promptNotices(rc.lang, result),
    pictures: [{ name: "next-attention.png", png }],
  };
}
