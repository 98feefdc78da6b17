/**
 * /neurons as a Reply: at one token of a text, each layer's strongest MLP neurons (a table and a
 * picture), each with where it fires most in the model's training text when the space's neuron
 * index has read it (src/app/neuron-indexer.ts); with `neuron` named, its value along the text
 * and its contexts. While the index is being read the reply says how far it got; contexts come
 * from texts as they are now (forgotten ones are gone), shorter than the verbatim rule's run
 * (neuron-texts.ts), and name no author.
 */
import { checkValues } from "../catalogue/check.ts";
import type { IndexStatus } from "../neuron-indexer.ts";
import { contextsOf } from "../neuron-index.ts";
import { type ShownContext, showContexts } from "../neuron-texts.ts";
import { type NeuronsResult, parseNeuron } from "../neurons.ts";
import { lookAt } from "../look-work.ts";
import { neuronsPicture } from "../look-pictures.ts";
import { checkText } from "../prompt.ts";
import { line, modelPart, type Notice, type PendingReply, type Part, quote, quoteTail, type ReplyContext, text, token } from "../reply.ts";
import { visibleToken } from "../../render/text.ts";
import { formatInt } from "../number-format.ts";
import type { Lang } from "../../lang.ts";
import { promptNotices } from "./notices.ts";
import type { ReplyOptions } from "./options.ts";

/** Contexts listed for a neuron named. */
const CONTEXTS_SHOWN = 3;

/** Options: text, position, neuron, k. */
export function neuronsReply(rc: ReplyContext, o: ReplyOptions): PendingReply {
  const input = checkText(o.text, false);
  const position = o.position as number | undefined;
  const k = o.k as number | undefined;
  const neuron = (o.neuron as string | undefined)?.trim() || undefined;
  checkValues("neurons", { k, position });
  if (neuron !== undefined) parseNeuron(rc.handle, neuron);
  return async () => {
    const model = modelPart(rc.handle, rc.lang);
    const result = await rc.heavy(() => lookAt(rc.handle, "neurons", input, { position, k, neuron }));
    const status: IndexStatus = (await rc.neuronIndex?.(rc.handle)) ?? { state: "none" };
    // what the index can show: each layer's strongest neuron's best context, the named neuron's contexts
    const contextsFor = (layer: number, index: number, limit: number): ShownContext[] =>
      status.state === "none" || !status.index ? [] : showContexts(rc.handle, status.texts, contextsOf(status.index, layer, index), limit);
    const best = result.layers.map((cells) => (cells[0] ? (contextsFor(cells[0].layer, cells[0].index, 1)[0] ?? null) : null));
    const named = result.along ? contextsFor(result.along.neuron.layer, result.along.neuron.index, CONTEXTS_SHOWN) : [];
    const note = indexNote(status, rc.lang);
    const png = await rc.heavy(() => neuronsPicture(result, best, note?.text ?? null, rc.lang, model.name));
    return {
      body: body(rc, result, model, best, named, input),
      notices: [...promptNotices(rc.lang, result), ...(note ? [note] : [])],
      pictures: [{ name: "neurons.png", png }],
    };
  };
}

function body(rc: ReplyContext, result: NeuronsResult, model: Part, best: (ShownContext | null)[], named: ShownContext[], input: string) {
  const ja = rc.lang === "ja";
  const at = token(visibleToken(result.inputTokens[result.position]));
  const where = quote(quoteTail(input));
  const header = ja
    ? line`${model}が「${where}」の ${at}（${result.position} 番目のトークン）で、各レイヤーの MLP で最も強く発火したニューロン（GELU の後の値 h。${formatInt(result.width, rc.lang)} 個中）:`
    : line`The MLP neurons of ${model} that fire most at ${at} (token ${result.position}) of “${where}”, per layer (h after the GELU, of ${formatInt(result.width, rc.lang)}):`;
  const shown = (c: ShownContext | null) => (c ? quote(`…${c.before}⟦${c.token}⟧${c.after}…`) : text("—"));
  const head = (ja ? ["レイヤー", "ニューロン（値）", "最も強い文脈"] : ["layer", "neurons (value)", "strongest context"]).map(text);
  const rows = result.layers.map((cells, l) => [
    text(ja ? `レイヤー${l}` : `layer ${l}`),
    text(cells.map((c) => `#${c.index} (${c.value.toFixed(2)})`).join(", ")),
    shown(best[l]),
  ]);
  const blocks: ({ line: Part[] } | { table: Part[][] })[] = [{ line: header }, { table: [head, ...rows] }];
  if (result.along) {
    const { layer, index } = result.along.neuron;
    const values = result.along.values;
    const peak = values.reduce((b, v, i) => (i > 0 && v > values[b] ? i : b), 1);
    blocks.push({
      line: ja
        ? line`ニューロン ${layer}.${index} は ${token(visibleToken(result.inputTokens[peak]))} で最大（${values[peak].toFixed(2)}）。学習テキストで最も強く発火した箇所:`
        : line`Neuron ${layer}.${index} peaks at ${token(visibleToken(result.inputTokens[peak]))} (${values[peak].toFixed(2)}). Where it fired most in the training text:`,
    });
    blocks.push({ table: named.length > 0 ? named.map((c) => [text(c.value.toFixed(2)), shown(c)]) : [[text("—")]] });
  }
  return blocks;
}

/** What the reader should know about the contexts: being read (how far), or none known. */
function indexNote(status: IndexStatus, lang: Lang): Notice | null {
  const ja = lang === "ja";
  if (status.state === "ready") return null;
  if (status.state === "none") {
    return {
      kind: "index-building",
      text: ja
        ? "このモデルの学習テキストは分からないため、文脈は表示できません（取り込んだモデル）。"
        : "This model's training text is not known (an imported model), so no contexts are shown.",
    };
  }
  const source =
    status.texts.kind === "corpus" ? (ja ? "付属のコーパス" : "the shipped corpus") : ja ? "保存されたメッセージ" : "the stored messages";
  return {
    kind: "index-building",
    text: ja
      ? `文脈は${source}から読み込み中です（${formatInt(status.documents, lang)} / ${formatInt(status.total, lang)} 件）。後でもう一度試すと全体から探します。`
      : `The contexts are still being read from ${source} (${formatInt(status.documents, lang)} of ${formatInt(status.total, lang)} texts so far); ask again later for all of them.`,
  };
}
