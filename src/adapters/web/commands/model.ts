/** /model: the model that answers here — the use case's Reply (src/app/replies/model.ts), as the page's JSON. */
import { modelReply } from "../../../app/replies/model.ts";
import { type WebCommand, webSpec } from "../command-spec.ts";
import { webReply } from "../reply-format.ts";

export const model: WebCommand = {
  spec: webSpec("model"),
  async run(_o, ctx) {
    return webReply(await modelReply(ctx, ctx));
  },
};
