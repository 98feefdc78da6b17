/** /generate prompt [tokens] [temperature] [top_k] [top_p] [seed]: the model continues a text. */
import { checkGenerateOptions, GENERATE_DEFAULTS, generateText, MAX_GENERATE_TOKENS, randomSeed } from "../../../app/generate-text.ts";
import { withDefaults } from "../../../app/options.ts";
import { checkText, MAX_INPUT_CHARS } from "../../../app/prompt.ts";
import type { WebCommand } from "../command-spec.ts";
import { texts } from "../texts.ts";
import { redactStored } from "./shared.ts";

export const generate: WebCommand = {
  spec: {
    name: "generate",
    description: { en: "Let the model continue a text, token by token", ja: "モデルに文章の続きを書かせる（1 トークンずつ予測）" },
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
        max: MAX_GENERATE_TOKENS,
        description: {
          en: `How many tokens at most (default ${GENERATE_DEFAULTS.maxTokens})`,
          ja: `最大トークン数（既定 ${GENERATE_DEFAULTS.maxTokens}）`,
        },
      },
      {
        name: "temperature",
        type: "number",
        min: 0,
        max: 10,
        description: { en: "0 = always the likeliest; higher = more surprising", ja: "0 なら常に最有力、大きいほど意外な選択" },
      },
      {
        name: "top_k",
        type: "integer",
        min: 0,
        description: { en: "Choose among the k likeliest only (0 = all)", ja: "上位 k 個からだけ選ぶ（0 = すべて）" },
      },
      {
        name: "top_p",
        type: "number",
        min: 0.01,
        max: 1,
        description: { en: "Choose among the likeliest that add up to p", ja: "確率の合計が p になる上位からだけ選ぶ" },
      },
      { name: "seed", type: "integer", min: 0, description: { en: "The same seed writes the same text", ja: "同じシードなら同じ文章" } },
    ],
  },
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
    const generated = await ctx.heavy(() => generateText(handle, prompt, options));
    const { text, cut } = redactStored(ctx, generated.text);
    const footer = t.generateFooter({
      model: t.modelName(handle.name),
      tokens: generated.ids.length,
      temperature: options.temperature,
      topK: options.topK,
      topP: options.topP,
      seed: options.seed,
    });
    return { text: [`**${prompt}**${text}`, ...(cut ? [t.verbatimCut] : []), footer].join("\n") };
  },
};
