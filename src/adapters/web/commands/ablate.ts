/** /ablate text [heads]: the next-token bars before and after switching heads off, and every head alone. */
import { ablateNext } from "../../../app/ablate.ts";
import { ablateLines } from "../../../app/look-lines.ts";
import { ablationPicture } from "../../../app/look-pictures.ts";
import { identityOf } from "../../../app/model-identity.ts";
import { type WebCommand, webSpec } from "../command-spec.ts";
import { quoteEnd, texts } from "../texts.ts";

export const ablate: WebCommand = {
  spec: webSpec("ablate"),
  async run(o, ctx) {
    const t = texts(ctx.lang);
    const handle = await ctx.registry.forGuild(ctx.space);
    const model = t.modelName(identityOf(handle));
    return ctx.heavy(async () => {
      const result = ablateNext(handle, String(o.text), { heads: o.heads as string | undefined, k: o.k as number | undefined });
      const lines = ablateLines(result, quoteEnd(result.text), model, ctx.lang);
      if (result.unknown > 0) lines.push(t.unknownChars(result.unknown));
      if (result.dropped > 0) lines.push(t.droppedTokens(result.dropped));
      return { text: lines.join("\n"), images: [{ name: "ablate.png", png: await ablationPicture(result, ctx.lang, model) }] };
    });
  },
};
