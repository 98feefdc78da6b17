/** /sources text: the stored training messages of this server that share the longest stretches with a text (authors hidden, excerpts under the verbatim rule). */
import { replyCommand } from "../src/adapters/discord/reply-command.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { sourcesReply } from "../src/app/replies/sources.ts";

export const data = slashData("sources");

/** heavy: limited per user */
export const expensive = true;

export const execute = replyCommand("sources", sourcesReply);
