/**
 * /trace prompt [tokens] [seed]: writing as repeated next-token prediction, step by step — the
 * text, and a picture of every step's candidates with the token chosen (src/app/replies/generate.ts).
 */
import { replyCommand } from "../src/adapters/discord/reply-command.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { traceReply } from "../src/app/replies/generate.ts";

export const data = slashData("trace");

/** heavy: limited per user */
export const expensive = true;

export const execute = replyCommand("trace", traceReply);
