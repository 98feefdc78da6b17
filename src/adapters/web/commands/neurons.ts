/** /neurons on the playground: the use case's Reply (src/app/replies/neurons.ts), as the page's JSON. */
import { neuronsReply } from "../../../app/replies/neurons.ts";
import { webReplyCommand } from "./reply-command.ts";

export const neurons = webReplyCommand("neurons", neuronsReply);
