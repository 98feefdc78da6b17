/** /explain [topic] [language] [text] on the playground: the use case's Reply (src/app/replies/explain.ts), as the page's JSON. */
import { explainReply } from "../../../app/replies/explain.ts";
import { webReplyCommand } from "./reply-command.ts";

export const explain = webReplyCommand("explain", explainReply);
