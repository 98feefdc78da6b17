/** /sources on the playground: the texts trained here that share the longest stretches with a text (src/app/replies/sources.ts). */
import { sourcesReply } from "../../../app/replies/sources.ts";
import { webReplyCommand } from "./reply-command.ts";

export const sources = webReplyCommand("sources", sourcesReply);
