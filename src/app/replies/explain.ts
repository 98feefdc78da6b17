/**
 * /explain as a Reply: without a topic, the learning path; with one, the explanation told with
 * the live model's numbers (the message already fitted by src/app/explain, its table a code
 * block) and its pictures. What the model writes in an explanation goes through the redaction.
 */
import { checkTopic, explainTopic, explanationMessage, listTopics } from "../explain/index.ts";
import { isExplainLang } from "../../explain/topics.ts";
import { identityOf, isStoredModel } from "../model-identity.ts";
import { checkText } from "../prompt.ts";
import type { PendingReply, ReplyContext } from "../reply.ts";
import type { ReplyOptions } from "./options.ts";

/** Options as the catalogue names them: topic, language (default: the reader's), text. */
export function explainReply(rc: ReplyContext, o: ReplyOptions): PendingReply {
  const lang = isExplainLang(o.language) ? o.language : rc.lang;
  const text = o.text === undefined ? undefined : checkText(o.text, true);
  if (o.topic === undefined)
    return async () => ({ body: [{ line: [{ kind: "text", text: listTopics(lang).text }] }], notices: [], pictures: [] });
  const topic = checkTopic(o.topic);
  const stored = rc.storedModelId?.() ?? null;
  const isGuildModel = stored !== null && isStoredModel(identityOf(rc.handle), stored);
  return async () => {
    const e = await rc.heavy(() =>
      explainTopic(rc.handle, topic, { lang, text, isGuildModel, redactor: rc.redactor, sources: rc.sources }),
    );
    return { body: [{ line: [{ kind: "text", text: explanationMessage(e) }] }], notices: [], pictures: e.pictures };
  };
}
