/** /ablate text [heads] [k]: the next-token bars with heads switched off, and which head matters most. */
import { replyCommand } from "../src/adapters/discord/reply-command.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { ablateReply } from "../src/app/replies/look.ts";

export const data = slashData("ablate");

/** heavy: limited per user */
export const expensive = true;

export const execute = replyCommand("ablate", ablateReply);
