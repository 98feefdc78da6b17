/**
 * /attention as a Reply: one head large when a head is given (layer 0 unless given), else every
 * layer × head at a glance; the line says which, and the notes about the prompt. view:rollout and
 * view:next read across the layers (src/app/replies/attention-views.ts).
 */
import { attentionPicture, checkLayerHead } from "../attention.ts";
import { checkValues } from "../catalogue/check.ts";
import { inputError } from "../input-messages.ts";
import { checkText } from "../prompt.ts";
import { modelPart, type PendingReply, quote, quoteTail, type ReplyContext } from "../reply.ts";
import { SENTENCES } from "../sentences.ts";
import { type AttentionView, attentionViewReply } from "./attention-views.ts";
import { promptNotices } from "./notices.ts";
import type { ReplyOptions } from "./options.ts";

/** Options as the catalogue names them: text, layer, head, view (heads, or rollout / next: src/app/replies/attention-views.ts). */
export function attentionReply(rc: ReplyContext, o: ReplyOptions): PendingReply {
  const text = checkText(o.text, false);
  const layer = o.layer as number | undefined;
  const head = o.head as number | undefined;
  const view = String(checkValues("attention", { view: o.view }).view ?? "heads").toLowerCase();
  if (view !== "heads") {
    // rollout and next read every layer and head: a chosen one would be silently ignored
    const chosen = head !== undefined ? { option: "head", value: head } : layer !== undefined ? { option: "layer", value: layer } : null;
    if (chosen) throw inputError("view-takes-no-head", { ...chosen, view });
    return () => attentionViewReply(rc, text, view as AttentionView);
  }
  checkLayerHead(rc.handle, layer, head);
  return async () => {
    const s = SENTENCES[rc.lang];
    const model = modelPart(rc.handle, rc.lang);
    const { nLayer, nHead } = rc.handle.model.config;
    const result = await rc.heavy(() => attentionPicture({ ...rc.handle, name: model.name }, text, { layer, head, lang: rc.lang }));
    const shown = text.length === 0 ? s.emptyText : quote(quoteTail(text));
    const line =
      result.kind === "head"
        ? s.attentionHead({ quote: shown, model, layer: layer ?? 0, head: head! })
        : s.attentionGrid({ quote: shown, model, layers: nLayer, heads: nHead, ...(layer !== undefined && { layer }) });
    return {
      body: [{ line }],
      notices: promptNotices(rc.lang, result.maps),
      pictures: [{ name: "attention.png", png: result.png, ...(result.kind !== "head" && { fine: true }) }],
    };
  };
}
