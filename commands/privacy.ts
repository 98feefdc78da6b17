/** /privacy: exactly what the bot stores and for how long (src/app/replies/data.ts). */
import { dataCommand } from "../src/adapters/discord/data-command.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { privacyReply } from "../src/app/replies/data.ts";

export const data = slashData("privacy");

export const execute = dataCommand("privacy", privacyReply);
