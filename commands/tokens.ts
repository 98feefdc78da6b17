/** /tokens text: how the model's tokenizer cuts a text into tokens, with each token's id. */
import { replyCommand } from "../src/adapters/discord/reply-command.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { tokensReply } from "../src/app/replies/tokens.ts";

export const data = slashData("tokens");

export const execute = replyCommand("tokens", tokensReply);
