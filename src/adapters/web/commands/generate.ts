/** /generate prompt [tokens] [temperature] [top_k] [top_p] [seed]: the model continues a text. */
import { checkGenerateOptions, GENERATE_DEFAULTS, generateText, randomSeed } from "../../../app/generate-text.ts";
import { withDefaults } from "../../../app/options.ts";
import { checkText } from "../../../app/prompt.ts";
import { type WebCommand, webSpec } from "../command-spec.ts";
import { texts } from "../texts.ts";
import { storedRedactor } from "./shared.ts";
import { redactGeneration } from "../../../app/redaction.ts";
import { identityOf } from "../../../app/model-identity.ts";

export const generate: WebCommand = {
  spec: webSpec("generate"),
  async run(o, ctx) {
    const t = texts(ctx.lang);
    const prompt = checkText(o.prompt, true);
    const options = checkGenerateOptions(
      withDefaults(GENERATE_DEFAULTS, {
        maxTokens: o.tokens as number | undefined,
        temperature: o.temperature as number | undefined,
        topK: o.top_k as number | undefined,
        topP: o.top_p as number | undefined,
        seed: (o.seed as number | undefined) ?? randomSeed(),
      }),
    );
    const handle = await ctx.registry.forGuild(ctx.space);
    const generated = await ctx.heavy(() => redactGeneration(handle, generateText(handle, prompt, options), storedRedactor(ctx)));
    const { text, cut } = generated;
    const footer = t.generateFooter({
      model: t.modelName(identityOf(handle)),
      tokens: generated.ids.length,
      temperature: options.temperature,
      topK: options.topK,
      topP: options.topP,
      seed: options.seed,
    });
    return { text: [`**${prompt}**${text}`, ...(cut ? [t.verbatimCut] : []), footer].join("\n") };
  },
};
