/**
 * /model [show|list|use|rename|delete] [ref] [name]: the model that answers here (show: the use
 * case's Reply, src/app/replies/model.ts), the playground's models and choosing among them
 * (src/app/replies/models.ts). Anyone who can reach the playground may choose: it is one
 * person's (or, shared on the network, its secret's holders').
 */
import { modelReply } from "../../../app/replies/model.ts";
import { type ModelsContext, modelDeleteReply, modelListReply, modelRenameReply, modelUseReply } from "../../../app/replies/models.ts";
import { type WebCommand, type WebContext, webSpec } from "../command-spec.ts";
import { webReply } from "../reply-format.ts";

export function modelsContext(ctx: WebContext): ModelsContext {
  return { lang: ctx.lang, registry: ctx.registry, store: ctx.store, space: ctx.space, admin: true };
}

export const model: WebCommand = {
  spec: webSpec("model"),
  async run(o, ctx) {
    const action = (o.action as string | undefined) ?? "show";
    if (action === "show") return webReply(await modelReply(ctx, ctx));
    const mc = modelsContext(ctx);
    if (action === "list") return webReply(await modelListReply(mc));
    const reply = action === "use" ? modelUseReply : action === "rename" ? modelRenameReply : modelDeleteReply;
    // the header's picker reads the list again after a change
    return { ...webReply(await reply(mc, o)), models: true };
  },
};
