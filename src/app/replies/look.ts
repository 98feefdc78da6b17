/**
 * /lens, /why and /ablate as Replies: the picture, the sentence that reads it, and a table of
 * the numbers behind it (the last token's guess at each depth; the tokens that pushed most by
 * each method; the candidates with the heads on and off). Cheap checks (the text, the options,
 * the heads named) run at once, before a deferral; the forward passes and pictures run through
 * the surface's heavy queue.
 */
import type { Lang } from "../../lang.ts";
import { formatPercent } from "../../render/format.ts";
import { visibleToken } from "../../render/text.ts";
import { ablateNext, headsText, parseHeads } from "../ablate.ts";
import { attributeNext } from "../attribute.ts";
import { checkValues } from "../catalogue/check.ts";
import { lensOf } from "../lens.ts";
import { ablationPicture, attributionPicture, lensPicture } from "../look-pictures.ts";
import { checkText } from "../prompt.ts";
import { line, modelPart, type PendingReply, type Part, quote, quoteTail, type ReplyContext, text, token } from "../reply.ts";
import { SENTENCES } from "../sentences.ts";
import { promptNotices } from "./notices.ts";
import type { ReplyOptions } from "./options.ts";

const pct = (p: number) => text(formatPercent(p));
const signed = (v: number) => text(v >= 0 ? `+${v.toFixed(2)}` : `−${Math.abs(v).toFixed(2)}`);
const shownToken = (t: string) => token(visibleToken(t));

/** The user's text as a reply quotes it. */
function quoted(rc: ReplyContext, input: string): Part {
  return input.length === 0 ? text(SENTENCES[rc.lang].emptyText) : quote(quoteTail(input));
}

/** Options: text, k. */
export function lensReply(rc: ReplyContext, o: ReplyOptions): PendingReply {
  const input = checkText(o.text, true);
  const k = o.k as number | undefined;
  checkValues("lens", { k });
  return async () => {
    const model = modelPart(rc.handle, rc.lang);
    const result = await rc.heavy(() => lensOf(rc.handle, input, { k }));
    const png = await rc.heavy(() => lensPicture(result, rc.lang, model.name));
    const last = result.inputIds.length - 1;
    const L = result.layers.length - 1;
    const out = result.layers[L].positions[last].top[0];
    const ja = rc.lang === "ja";
    const depthName = (d: number) =>
      d === 0
        ? ja
          ? "埋め込み"
          : "embeddings"
        : d === L
          ? ja
            ? "出力"
            : "output"
          : ja
            ? `レイヤー${d - 1}の後`
            : `after layer ${d - 1}`;
    const header = ja
      ? line`「${quoted(rc, input)}」の次のトークンを、${model}の各深さ（埋め込み → 各層の後 → 出力）で読みました。出力の第1候補は ${shownToken(out.token)}（${pct(out.prob)}）。`
      : line`The next token after “${quoted(rc, input)}”, read at every depth of ${model} (embeddings → after each layer → output). The output's top guess: ${shownToken(out.token)} (${pct(out.prob)}).`;
    const rows = result.layers.map((d, i) => [
      text(depthName(i)),
      ...d.positions[last].top.flatMap((c) => [shownToken(c.token), pct(c.prob)]),
    ]);
    return { body: [{ line: header }, { table: rows }], notices: promptNotices(rc.lang, result), pictures: [{ name: "lens.png", png }] };
  };
}

/** Options: text, target. */
export function whyReply(rc: ReplyContext, o: ReplyOptions): PendingReply {
  const input = checkText(o.text, false);
  const target = o.target as string | undefined;
  checkValues("why", { target });
  return async () => {
    const model = modelPart(rc.handle, rc.lang);
    const result = await rc.heavy(() => attributeNext(rc.handle, input, { target }));
    const png = await rc.heavy(() => attributionPicture(result, rc.lang, model.name));
    const t = result.target;
    const best = (scores: number[]) => scores.reduce((b, s, i) => (s > scores[b] ? i : b), 0);
    const g = best(result.gradient);
    const oc = best(result.occlusion);
    const label = (i: number) => shownToken(result.inputTokens[i]);
    const body =
      rc.lang === "ja"
        ? [
            line`${model}は「${quoted(rc, input)}」の次に ${shownToken(t.token)}（${pct(t.prob)}${t.predicted ? "、予測された第1候補" : "、指定された対象"}）。`,
            line`いちばん後押ししたトークン — 勾配×入力: ${label(g)}（${signed(result.gradient[g])}）、遮蔽（取り除くと）: ${label(oc)}（${signed(result.occlusion[oc])}）。単位は log p。`,
          ]
        : [
            line`${model} after “${quoted(rc, input)}”: ${shownToken(t.token)} (${pct(t.prob)}${t.predicted ? ", its top guess" : ", the target you chose"}).`,
            line`The token that pushed it most — gradient × input: ${label(g)} (${signed(result.gradient[g])}); occlusion (removed): ${label(oc)} (${signed(result.occlusion[oc])}). In log p.`,
          ];
    // each input token's two scores, as the picture's two panels show them
    const head = rc.lang === "ja" ? ["トークン", "勾配×入力", "遮蔽"] : ["token", "grad × input", "occlusion"];
    const rows = result.inputTokens.map((tk, i) => [shownToken(tk), signed(result.gradient[i]), signed(result.occlusion[i])]);
    return {
      body: [...body.map((l) => ({ line: l })), { table: [head.map(text), ...rows] }],
      notices: promptNotices(rc.lang, result),
      pictures: [{ name: "why.png", png }],
    };
  };
}

/** Options: text, heads, k. */
export function ablateReply(rc: ReplyContext, o: ReplyOptions): PendingReply {
  const input = checkText(o.text, true);
  const heads = (o.heads as string | undefined)?.trim() || undefined;
  const k = o.k as number | undefined;
  checkValues("ablate", { k });
  if (heads !== undefined) parseHeads(rc.handle, heads);
  return async () => {
    const model = modelPart(rc.handle, rc.lang);
    const result = await rc.heavy(() => ablateNext(rc.handle, input, { heads, k }));
    const png = await rc.heavy(() => ablationPicture(result, rc.lang, model.name));
    const before = result.before[0];
    const after = result.after[0];
    const off = headsText(result.heads);
    const without = result.beforeTokensAfter[0].prob;
    const body =
      rc.lang === "ja"
        ? [
            line`${model}、「${quoted(rc, input)}」の次: ${shownToken(before.token)} ${pct(before.prob)}。ヘッド ${off} を止めると ${pct(without)}、第1候補は ${shownToken(after.token)}（${pct(after.prob)}）${result.chosenFromGrid ? "（最も効いているヘッドを止めました）" : ""}。`,
            line`表: ヘッドを1つだけ止めたときの第1候補の log p の変化（レイヤー × ヘッド）。`,
          ]
        : [
            line`${model} after “${quoted(rc, input)}”: ${shownToken(before.token)} ${pct(before.prob)}. With heads ${off} off: ${pct(without)}, and the top guess is ${shownToken(after.token)} (${pct(after.prob)})${result.chosenFromGrid ? " (the most decisive head switched off)" : ""}.`,
            line`The grid: the change in the top token's log p with each head alone switched off (layers × heads).`,
          ];
    // the candidates with the heads on → off, then the grid's rows (one per layer)
    const candidates = result.before.map((c, i) => [shownToken(c.token), pct(c.prob), text("→"), pct(result.beforeTokensAfter[i].prob)]);
    const grid = result.grid.map((row, l) => [
      text(rc.lang === "ja" ? `レイヤー${l}` : `layer ${l}`),
      ...row.map((d) => text(d.toFixed(3))),
    ]);
    return {
      body: [{ line: body[0] }, { table: candidates }, { line: body[1] }, { table: grid }],
      notices: promptNotices(rc.lang, result),
      pictures: [{ name: "ablate.png", png }],
    };
  };
}

/** The line /predict adds when heads were switched off for it. */
export function headsOffLine(heads: readonly { layer: number; head: number }[], lang: Lang): Part[] {
  const list = headsText(heads);
  return [text(lang === "ja" ? `（ヘッド ${list} を止めたモデルの予測です）` : `(predicted by the model with heads ${list} switched off)`)];
}
