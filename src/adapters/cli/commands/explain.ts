/** `explain [TOPIC] [--lang ja|en] [--text TEXT] [--out FILE.png] [--model FILE]`: the explanatory mode in the console (src/app/replies/explain.ts). */
import { explainReply } from "../../../app/replies/explain.ts";
import { cliReplyCommand } from "../reply-command.ts";

export const { usage, run } = cliReplyCommand("explain", explainReply);
