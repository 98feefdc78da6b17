/** /neurons text [position] [neuron] [k]: the MLP neurons that fire most at a token, and where they fire in the training text. */
import { replyCommand } from "../src/adapters/discord/reply-command.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { neuronsReply } from "../src/app/replies/neurons.ts";

export const data = slashData("neurons");

/** heavy: limited per user */
export const expensive = true;

export const execute = replyCommand("neurons", neuronsReply);
