/** `tokens` in the console: the use case's Reply (src/app/replies/tokens.ts) as terminal text (flags: the catalogue's). */
import { tokensReply } from "../../../app/replies/tokens.ts";
import { cliReplyCommand } from "../reply-command.ts";

export const { usage, run } = cliReplyCommand("tokens", tokensReply);
