/** /ablate on the playground: the use case's Reply (src/app/replies/look.ts), as the page's JSON. */
import { ablateReply } from "../../../app/replies/look.ts";
import { webReplyCommand } from "./reply-command.ts";

export const ablate = webReplyCommand("ablate", ablateReply);
