/**
 * /admin channels|retention|wipe (Manage Server): which channels /train may read, how long
 * stored messages are kept, and wiping the server's data (src/app/replies/admin.ts).
 */
import { dataCommand } from "../src/adapters/discord/data-command.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { adminChannelsReply, adminRetentionReply, adminWipeReply } from "../src/app/replies/admin.ts";

export const data = slashData("admin");

export const execute = dataCommand("admin", { channels: adminChannelsReply, retention: adminRetentionReply, wipe: adminWipeReply });
