/** /lens text [k]: what each layer would predict next (the logit lens), as a picture, a line and a table. */
import { replyCommand } from "../src/adapters/discord/reply-command.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { lensReply } from "../src/app/replies/look.ts";

export const data = slashData("lens");

/** heavy: limited per user */
export const expensive = true;

export const execute = replyCommand("lens", lensReply);
