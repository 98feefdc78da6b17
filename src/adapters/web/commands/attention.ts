/** /attention on the playground: the use case's Reply (src/app/replies/attention.ts), as the page's JSON. */
import { attentionReply } from "../../../app/replies/attention.ts";
import { webReplyCommand } from "./reply-command.ts";

export const attention = webReplyCommand("attention", attentionReply);
