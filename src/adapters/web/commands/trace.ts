/** /trace prompt [tokens] [seed]: writing as repeated next-token prediction, step by step, with the picture. */
import { checkGenerateOptions, GENERATE_DEFAULTS, generateText, randomSeed } from "../../../app/generate-text.ts";
import { withDefaults } from "../../../app/options.ts";
import { DEFAULT_TRACE_TOKENS, MAX_TRACE_TOKENS, tracePicture } from "../../../app/pictures.ts";
import { checkText, MAX_INPUT_CHARS } from "../../../app/prompt.ts";
import type { WebCommand } from "../command-spec.ts";
import { texts } from "../texts.ts";
import { redactStored } from "./shared.ts";

export const trace: WebCommand = {
  spec: {
    name: "trace",
    description: {
      en: "Watch the model write step by step: each step's candidates and the token chosen",
      ja: "モデルが書く過程を 1 ステップずつ（各ステップの候補と選ばれたトークン）",
    },
    options: [
      {
        name: "prompt",
        type: "string",
        required: true,
        maxLength: MAX_INPUT_CHARS,
        description: { en: "The beginning of the text", ja: "文章の書き出し" },
      },
      {
        name: "tokens",
        type: "integer",
        min: 1,
        max: MAX_TRACE_TOKENS,
        description: { en: `How many steps (default ${DEFAULT_TRACE_TOKENS})`, ja: `ステップ数（既定 ${DEFAULT_TRACE_TOKENS}）` },
      },
      { name: "seed", type: "integer", min: 0, description: { en: "The same seed writes the same text", ja: "同じシードなら同じ文章" } },
    ],
  },
  async run(o, ctx) {
    const t = texts(ctx.lang);
    const prompt = checkText(o.prompt, true);
    const options = checkGenerateOptions(
      withDefaults(GENERATE_DEFAULTS, {
        maxTokens: (o.tokens as number | undefined) ?? DEFAULT_TRACE_TOKENS,
        seed: (o.seed as number | undefined) ?? randomSeed(),
      }),
    );
    const handle = await ctx.registry.forGuild(ctx.space);
    const model = t.modelName(handle.name);
    const { result, png } = await ctx.heavy(async () => {
      const result = generateText(handle, prompt, options);
      return { result, png: await tracePicture({ ...handle, name: model }, result, ctx.lang) };
    });
    const { text, cut } = redactStored(ctx, result.text);
    const footer = t.traceFooter({ model, steps: result.steps.length, seed: options.seed });
    return { text: [`**${prompt}**${text}`, ...(cut ? [t.verbatimCut] : []), footer].join("\n"), images: [{ name: "trace.png", png }] };
  },
};
