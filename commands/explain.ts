/**
 * /explain [topic] [text]: how a language model works, told with this server's live model.
 * Without a topic: the learning path (which topic to read first). (src/app/replies/explain.ts)
 */
import { replyCommand } from "../src/adapters/discord/reply-command.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { explainReply } from "../src/app/replies/explain.ts";

export const data = slashData("explain");

export const defer = "public";

/** heavy: limited per user */
export const expensive = true;

export const execute = replyCommand("explain", explainReply);
