/** /lens on the playground: the use case's Reply (src/app/replies/look.ts), as the page's JSON. */
import { lensReply } from "../../../app/replies/look.ts";
import { webReplyCommand } from "./reply-command.ts";

export const lens = webReplyCommand("lens", lensReply);
