/** /why on the playground: the use case's Reply (src/app/replies/look.ts), as the page's JSON. */
import { whyReply } from "../../../app/replies/look.ts";
import { webReplyCommand } from "./reply-command.ts";

export const why = webReplyCommand("why", whyReply);
