/** /tokens as a Reply: how many characters became how many tokens, by which tokenizer, and the picture of the cut. */
import { tokensPicture } from "../pictures.ts";
import { checkText } from "../prompt.ts";
import { modelPart, type PendingReply, type ReplyContext } from "../reply.ts";
import { SENTENCES } from "../sentences.ts";
import { promptNotices } from "./notices.ts";
import type { ReplyOptions } from "./options.ts";

/** Options as the catalogue names them: text. */
export function tokensReply(rc: ReplyContext, o: ReplyOptions): PendingReply {
  const text = checkText(o.text, false);
  return async () => {
    const model = modelPart(rc.handle, rc.lang);
    const { tokenizer } = rc.handle;
    const { ids, unknown } = tokenizer.encode(text);
    const png = await rc.heavy(() => tokensPicture({ ...rc.handle, name: model.name }, text, rc.lang));
    const line = SENTENCES[rc.lang].tokensLine({
      characters: [...text].length,
      tokens: ids.length,
      kind: tokenizer.kind,
      vocabSize: tokenizer.vocabSize,
      model,
    });
    return { body: [{ line }], notices: promptNotices(rc.lang, { unknown }), pictures: [{ name: "tokens.png", png }] };
  };
}
