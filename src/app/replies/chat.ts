/**
 * Chat as a Reply: the model's next message after a conversation (oldest message first), the
 * same on Discord (a mention or a DM) and on the playground. The generation runs through the
 * surface's queue; a run copied from a stored text is cut, with the note; a model that writes
 * nothing gets the friendly line. The steps come back too, for a surface that shows how each
 * token was chosen (Discord's explain mode).
 */
import { type ChatReply, chatPromptIds, generateChatReply } from "../chat.ts";
import { redactText } from "../redaction.ts";
import { quote, type Reply, type ReplyContext, text } from "../reply.ts";
import { SENTENCES } from "../sentences.ts";

export interface ChatAnswer {
  reply: Reply;
  /** what the model wrote, step by step (before the cut) */
  generated: ChatReply;
  /** a run copied from a stored text was cut from the reply */
  cut: boolean;
}

/** The conversation as it is (the surface checked it); the same conversation and seed give the same reply. */
export async function chatReply(rc: ReplyContext, conversation: readonly string[], seed: number): Promise<ChatAnswer> {
  const s = SENTENCES[rc.lang];
  // from the model's host thread when it has one (its passes off the event loop)
  const generated = await rc.heavy(() => {
    const ids = chatPromptIds(rc.handle, conversation);
    return rc.handle.host ? rc.handle.host.chatReply(ids, { seed }) : generateChatReply(rc.handle, ids, { seed });
  });
  const redacted = redactText(generated.text, rc.redactor);
  const said = redacted.text.trim();
  const reply: Reply = {
    body: [{ line: [said === "" ? text(s.chatFallback) : quote(said)] }],
    notices: said !== "" && redacted.cut ? [{ kind: "verbatim-cut", text: s.verbatimCut }] : [],
    pictures: [],
  };
  return { reply, generated, cut: redacted.cut };
}
