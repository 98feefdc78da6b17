/** /tokens text: how the model's tokenizer cuts a text into tokens, with each token's id. */
import { tokensPicture } from "../../../app/pictures.ts";
import { checkText } from "../../../app/prompt.ts";
import { type WebCommand, webSpec } from "../command-spec.ts";
import { texts } from "../texts.ts";
import { identityOf } from "../../../app/model-identity.ts";

export const tokens: WebCommand = {
  spec: webSpec("tokens"),
  async run(o, ctx) {
    const t = texts(ctx.lang);
    const text = checkText(o.text, false);
    const handle = await ctx.registry.forGuild(ctx.space);
    const model = t.modelName(identityOf(handle));
    const { ids, unknown } = handle.tokenizer.encode(text);
    const png = await ctx.heavy(() => tokensPicture({ ...handle, name: model }, text, ctx.lang));
    const lines = [
      t.tokensLine({
        characters: [...text].length,
        tokens: ids.length,
        kind: handle.tokenizer.kind,
        vocabSize: handle.tokenizer.vocabSize,
        model,
      }),
    ];
    if (unknown > 0) lines.push(t.unknownChars(unknown));
    return { text: lines.join("\n"), images: [{ name: "tokens.png", png }] };
  },
};
