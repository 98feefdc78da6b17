/** /trace prompt [tokens] [seed]: writing as repeated next-token prediction, step by step, with the picture. */
import { checkGenerateOptions, GENERATE_DEFAULTS, generateText, randomSeed } from "../../../app/generate-text.ts";
import { withDefaults } from "../../../app/options.ts";
import { DEFAULT_TRACE_TOKENS, tracePicture } from "../../../app/pictures.ts";
import { checkText } from "../../../app/prompt.ts";
import { type WebCommand, webSpec } from "../command-spec.ts";
import { texts } from "../texts.ts";
import { storedRedactor } from "./shared.ts";
import { redactGeneration } from "../../../app/redaction.ts";
import { identityOf } from "../../../app/model-identity.ts";

export const trace: WebCommand = {
  spec: webSpec("trace"),
  async run(o, ctx) {
    const t = texts(ctx.lang);
    const prompt = checkText(o.prompt, true);
    const options = checkGenerateOptions(
      withDefaults(GENERATE_DEFAULTS, {
        maxTokens: (o.tokens as number | undefined) ?? DEFAULT_TRACE_TOKENS,
        seed: (o.seed as number | undefined) ?? randomSeed(),
      }),
      "trace",
    );
    const handle = await ctx.registry.forGuild(ctx.space);
    const model = t.modelName(identityOf(handle));
    const { result, png } = await ctx.heavy(async () => {
      // the text and the picture, redacted in one place
      const result = redactGeneration(handle, generateText(handle, prompt, options), storedRedactor(ctx));
      return { result, png: await tracePicture({ ...handle, name: model }, result, ctx.lang) };
    });
    const { text, cut } = result;
    const footer = t.traceFooter({ model, steps: result.steps.length, seed: options.seed });
    return { text: [`**${prompt}**${text}`, ...(cut ? [t.verbatimCut] : []), footer].join("\n"), images: [{ name: "trace.png", png }] };
  },
};
