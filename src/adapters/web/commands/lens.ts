/** /lens text [k]: what each layer would predict next (the logit lens), as a picture and two lines. */
import { lensOf } from "../../../app/lens.ts";
import { lensLines } from "../../../app/look-lines.ts";
import { lensPicture } from "../../../app/look-pictures.ts";
import { identityOf } from "../../../app/model-identity.ts";
import { type WebCommand, webSpec } from "../command-spec.ts";
import { quoteEnd, texts } from "../texts.ts";

export const lens: WebCommand = {
  spec: webSpec("lens"),
  async run(o, ctx) {
    const t = texts(ctx.lang);
    const handle = await ctx.registry.forGuild(ctx.space);
    const model = t.modelName(identityOf(handle));
    return ctx.heavy(async () => {
      const result = lensOf(handle, String(o.text), { k: o.k as number | undefined });
      const lines = lensLines(result, quoteEnd(result.text), model, ctx.lang);
      if (result.unknown > 0) lines.push(t.unknownChars(result.unknown));
      if (result.dropped > 0) lines.push(t.droppedTokens(result.dropped));
      return { text: lines.join("\n"), images: [{ name: "lens.png", png: await lensPicture(result, ctx.lang, model) }] };
    });
  },
};
