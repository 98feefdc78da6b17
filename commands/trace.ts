/**
 * /trace prompt [tokens] [seed]: writing as repeated next-token prediction, step by step — the
 * text, and a picture of every step's candidates with the token chosen.
 */
import type { ChatInputCommandInteraction } from "discord.js";
import { checkGenerateOptions, GENERATE_DEFAULTS, generateText, type GenerateTextOptions } from "../src/app/generate-text.ts";
import { DEFAULT_TRACE_TOKENS, tracePicture } from "../src/app/pictures.ts";
import { withDefaults } from "../src/app/options.ts";
import { checkText, MAX_INPUT_CHARS } from "../src/app/prompt.ts";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { generatedMessage, randomSeed } from "../src/adapters/discord/generated-text.ts";
import { checked } from "../src/adapters/discord/input-error.ts";
import { respond } from "../src/adapters/discord/outgoing.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { redactGeneration, redactorFor } from "../src/app/redaction.ts";
import { identityOf } from "../src/app/model-identity.ts";

export const data = slashData("trace");

/** heavy: limited per user */
export const expensive = true;

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const prompt = interaction.options.getString("prompt", true);
  const options: GenerateTextOptions = withDefaults(GENERATE_DEFAULTS, {
    maxTokens: interaction.options.getInteger("tokens") ?? DEFAULT_TRACE_TOKENS,
    seed: interaction.options.getInteger("seed") ?? randomSeed(),
  });

  // 1. bad options are answered at once
  checked(
    () => {
      checkText(prompt, true);
      checkGenerateOptions(options, "trace");
    },
    ctx.text,
    { length: prompt.length, limit: MAX_INPUT_CHARS },
  );

  // 2. write, then draw every step
  await interaction.deferReply();
  const handle = await ctx.registry.forGuild(interaction.guildId);
  const modelName = ctx.text.modelName(identityOf(handle));
  const redactor = redactorFor(ctx.store, interaction.guildId);
  const { result, png } = await ctx.heavy(async () => {
    // never hand a stored message back word for word, in the text or in the picture
    const result = redactGeneration(handle, generateText(handle, prompt, options), redactor);
    return { result, png: await tracePicture({ ...handle, name: modelName }, result, ctx.lang) };
  });
  const footer =
    (result.cut ? `${ctx.text.verbatimCut}\n` : "") +
    ctx.text.traceFooter({ model: modelName, steps: result.steps.length, seed: options.seed });
  await respond(interaction, { content: generatedMessage(result, ctx.text, footer), files: [{ name: "trace.png", data: png }] });
}
