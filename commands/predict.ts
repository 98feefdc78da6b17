/**
 * /predict text [k] [temperature]: the model's most likely next tokens after a text, with their
 * probabilities, as a short list and a picture.
 */
import { replyCommand } from "../src/adapters/discord/reply-command.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { predictReply } from "../src/app/replies/predict.ts";

export const data = slashData("predict");

export const execute = replyCommand("predict", predictReply);
