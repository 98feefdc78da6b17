/** /why text [target]: which input tokens pushed the next token (gradient × input and occlusion), as a picture and two lines. */
import { replyCommand } from "../src/adapters/discord/reply-command.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { whyReply } from "../src/app/replies/look.ts";

export const data = slashData("why");

/** heavy: limited per user */
export const expensive = true;

export const execute = replyCommand("why", whyReply);
