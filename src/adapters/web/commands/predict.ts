/** /predict on the playground: the use case's Reply (src/app/replies/predict.ts), as the page's JSON. */
import { predictReply } from "../../../app/replies/predict.ts";
import { webReplyCommand } from "./reply-command.ts";

export const predict = webReplyCommand("predict", predictReply);
