/** /forget-me: delete my stored messages in this server, and say whether the model learned from them (src/app/replies/data.ts). */
import { dataCommand } from "../src/adapters/discord/data-command.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { forgetMeReply } from "../src/app/replies/data.ts";

export const data = slashData("forget-me");

export const execute = dataCommand("forget-me", forgetMeReply);
