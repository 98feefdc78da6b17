/** /settings explain on|off: per-user explain mode for chat replies (src/app/replies/data.ts). */
import { dataCommand } from "../src/adapters/discord/data-command.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { explainModeReply } from "../src/app/replies/data.ts";

export const data = slashData("settings");

export const execute = dataCommand("settings", { explain: explainModeReply });
