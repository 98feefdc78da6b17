/**
 * /predict as a Reply: the header naming the text and the model, one row per candidate (rank,
 * token, probability), the notes about unknown characters and dropped tokens, and the picture.
 */
import { predictPicture } from "../pictures.ts";
import { PREDICT_DEFAULTS, predictFromLogits, predictNext, type PredictResult, visibleToken } from "../predict.ts";
import type { ModelHost } from "../model-host.ts";
import { checkText, encodePrompt } from "../prompt.ts";
import { withDefaults } from "../options.ts";
import { checkValues } from "../catalogue/check.ts";
import {
  modelPart,
  type PendingReply,
  type Picture,
  prob,
  quote,
  quoteTail,
  rank,
  type Reply,
  type ReplyContext,
  token,
} from "../reply.ts";
import { SENTENCES } from "../sentences.ts";
import type { ReplyOptions } from "./options.ts";
import { promptNotices } from "./notices.ts";
import { type HeadRef, parseHeads, predictAblated } from "../ablate.ts";
import { headsOffLine } from "./look.ts";

/** Options as the catalogue names them: text, k, temperature, heads (switched off for this prediction). */
export function predictReply(rc: ReplyContext, o: ReplyOptions): PendingReply {
  // a model with a host thread: the options checked now, the pass made there
  const host = rc.handle.host;
  if (host) return predictOnHost(rc, o, host);
  const result = predictWithHeads(rc, o);
  return async () => {
    const png = await rc.heavy(() => predictPicture(result, rc.lang, modelPart(rc.handle, rc.lang).name));
    return predictResultReply(rc, result, [{ name: "predict.png", png }]);
  };
}

/** /predict (heads: too) with the forward pass in the model's host thread: the event loop only encodes, sorts and draws. */
function predictOnHost(rc: ReplyContext, o: ReplyOptions, host: ModelHost): PendingReply {
  const text = checkText(o.text, true);
  const options = withDefaults(PREDICT_DEFAULTS, { k: o.k as number | undefined, temperature: o.temperature as number | undefined });
  checkValues("predict", { ...options });
  const spec = (o.heads as string | undefined)?.trim();
  const heads = spec ? parseHeads(rc.handle, spec) : undefined;
  return async () => {
    const { result, png } = await rc.heavy(async () => {
      const ids = encodePrompt(rc.handle, text).ids;
      // heads switched off: a full pass with them off (as predictAblated), else the KV cache's next row
      const logits = heads ? (await host.lastLogits(ids, [heads]))[0] : await host.nextLogits(ids);
      const result = { ...predictFromLogits(rc.handle, text, options, () => logits), ...(heads && { heads }) };
      return { result, png: await predictPicture(result, rc.lang, modelPart(rc.handle, rc.lang).name) };
    });
    return predictResultReply(rc, result, [{ name: "predict.png", png }]);
  };
}

/** The prediction the options ask for: of the model, or of the model with `heads` switched off. */
export function predictWithHeads(rc: ReplyContext, o: ReplyOptions): PredictResult & { heads?: HeadRef[] } {
  const options = { k: o.k as number | undefined, temperature: o.temperature as number | undefined };
  const heads = (o.heads as string | undefined)?.trim();
  return heads ? predictAblated(rc.handle, String(o.text), { ...options, heads }) : predictNext(rc.handle, String(o.text), options);
}

/** The reply of a prediction already made, with its picture (the console draws it only for --out). */
export function predictResultReply(rc: ReplyContext, result: PredictResult & { heads?: HeadRef[] }, pictures: Picture[]): Reply {
  const s = SENTENCES[rc.lang];
  const model = modelPart(rc.handle, rc.lang);
  const shown = result.text.length === 0 ? s.emptyText : quote(quoteTail(result.text));
  return {
    body: [
      { line: s.predictHeader({ quote: shown, model, temperature: result.temperature }) },
      { table: result.candidates.map((c, i) => [rank(i + 1), token(visibleToken(c.token)), prob(c.prob)]) },
      ...(result.heads ? [{ line: headsOffLine(result.heads, rc.lang) }] : []),
    ],
    notices: promptNotices(rc.lang, result),
    pictures,
  };
}
