/**
 * /predict as a Reply: the header naming the text and the model, one row per candidate (rank,
 * token, probability), the notes about unknown characters and dropped tokens, and the picture.
 */
import { predictPicture } from "../pictures.ts";
import { predictNext, type PredictResult, visibleToken } from "../predict.ts";
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

/** Options as the catalogue names them: text, k, temperature. */
export function predictReply(rc: ReplyContext, o: ReplyOptions): PendingReply {
  const result = predictNext(rc.handle, String(o.text), { k: o.k as number | undefined, temperature: o.temperature as number | undefined });
  return async () => {
    const png = await rc.heavy(() => predictPicture(result, rc.lang, modelPart(rc.handle, rc.lang).name));
    return predictResultReply(rc, result, [{ name: "predict.png", png }]);
  };
}

/** The reply of a prediction already made, with its picture (the console draws it only for --out). */
export function predictResultReply(rc: ReplyContext, result: PredictResult, pictures: Picture[]): Reply {
  const s = SENTENCES[rc.lang];
  const model = modelPart(rc.handle, rc.lang);
  const shown = result.text.length === 0 ? s.emptyText : quote(quoteTail(result.text));
  return {
    body: [
      { line: s.predictHeader({ quote: shown, model, temperature: result.temperature }) },
      { table: result.candidates.map((c, i) => [rank(i + 1), token(visibleToken(c.token)), prob(c.prob)]) },
    ],
    notices: promptNotices(rc.lang, result),
    pictures,
  };
}
