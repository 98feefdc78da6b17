/** `generate` in the console: the use case's Reply (src/app/replies/generate.ts) as terminal text (flags: the catalogue's). */
import { generateReply } from "../../../app/replies/generate.ts";
import { cliReplyCommand } from "../reply-command.ts";

export const { usage, run } = cliReplyCommand("generate", generateReply);
