/**
 * /generate prompt [tokens] [temperature] [top_k] [top_p] [seed]: the model continues a text,
 * one predicted token after another (src/app/replies/generate.ts).
 */
import { replyCommand } from "../src/adapters/discord/reply-command.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { generateReply } from "../src/app/replies/generate.ts";

export const data = slashData("generate");

/** heavy: limited per user */
export const expensive = true;

export const execute = replyCommand("generate", generateReply);
