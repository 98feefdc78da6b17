/** /generate on the playground: the use case's Reply (src/app/replies/generate.ts), as the page's JSON. */
import { generateReply } from "../../../app/replies/generate.ts";
import { webReplyCommand } from "./reply-command.ts";

export const generate = webReplyCommand("generate", generateReply);
