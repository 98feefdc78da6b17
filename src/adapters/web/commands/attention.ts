/** /attention text [layer] [head]: which earlier tokens each token looks at (one head large, or all). */
import { attentionPicture } from "../../../app/attention.ts";
import { checkText } from "../../../app/prompt.ts";
import { type WebCommand, webSpec } from "../command-spec.ts";
import { quoteEnd, texts } from "../texts.ts";
import { identityOf } from "../../../app/model-identity.ts";

export const attention: WebCommand = {
  spec: webSpec("attention"),
  async run(o, ctx) {
    const t = texts(ctx.lang);
    const text = checkText(o.text, false);
    const layer = o.layer as number | undefined;
    const head = o.head as number | undefined;
    const handle = await ctx.registry.forGuild(ctx.space);
    const model = t.modelName(identityOf(handle));
    const { nLayer, nHead } = handle.model.config;
    const result = await ctx.heavy(() => attentionPicture({ ...handle, name: model }, text, { layer, head, lang: ctx.lang }));
    const quote = quoteEnd(text);
    const lines = [
      result.kind === "head"
        ? t.attentionHead({ quote, model, layer: layer ?? 0, head: head! })
        : t.attentionGrid({ quote, model, layers: nLayer, heads: nHead }),
    ];
    if (result.maps.unknown > 0) lines.push(t.unknownChars(result.maps.unknown));
    if (result.maps.dropped > 0) lines.push(t.droppedTokens(result.maps.dropped));
    return { text: lines.join("\n"), images: [{ name: "attention.png", png: result.png }] };
  },
};
