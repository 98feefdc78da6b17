/** /trace on the playground: the use case's Reply (src/app/replies/generate.ts), as the page's JSON. */
import { traceReply } from "../../../app/replies/generate.ts";
import { webReplyCommand } from "./reply-command.ts";

export const trace = webReplyCommand("trace", traceReply);
