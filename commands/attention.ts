/**
 * /attention text [layer] [head]: which earlier tokens each token looks at. With a head: that
 * head large (layer 0 unless given); without: every layer × head at a glance.
 */
import { replyCommand } from "../src/adapters/discord/reply-command.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { attentionReply } from "../src/app/replies/attention.ts";

export const data = slashData("attention");

/** heavy: limited per user */
export const expensive = true;

export const execute = replyCommand("attention", attentionReply);
