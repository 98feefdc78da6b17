/** `attention` in the console: the use case's Reply (src/app/replies/attention.ts) as terminal text (flags: the catalogue's). */
import { attentionReply } from "../../../app/replies/attention.ts";
import { cliReplyCommand } from "../reply-command.ts";

export const { usage, run } = cliReplyCommand("attention", attentionReply);
