/** /tokens on the playground: the use case's Reply (src/app/replies/tokens.ts), as the page's JSON. */
import { tokensReply } from "../../../app/replies/tokens.ts";
import { webReplyCommand } from "./reply-command.ts";

export const tokens = webReplyCommand("tokens", tokensReply);
