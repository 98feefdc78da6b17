/**
 * /generate prompt [tokens] [temperature] [top_k] [top_p] [seed]: the model continues a text,
 * one predicted token after another.
 */
import type { ChatInputCommandInteraction } from "discord.js";
import { checkGenerateOptions, GENERATE_DEFAULTS, generateText, type GenerateTextOptions } from "../src/app/generate-text.ts";
import { redactGeneration, redactorFor } from "../src/app/redaction.ts";
import { withDefaults } from "../src/app/options.ts";
import { checkText, MAX_INPUT_CHARS } from "../src/app/prompt.ts";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { generatedMessage, randomSeed } from "../src/adapters/discord/generated-text.ts";
import { checked } from "../src/adapters/discord/input-error.ts";
import { respond } from "../src/adapters/discord/outgoing.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { identityOf } from "../src/app/model-identity.ts";

export const data = slashData("generate");

/** heavy: limited per user */
export const expensive = true;

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const prompt = interaction.options.getString("prompt", true);
  const options: GenerateTextOptions = withDefaults(GENERATE_DEFAULTS, {
    maxTokens: interaction.options.getInteger("tokens") ?? undefined,
    temperature: interaction.options.getNumber("temperature") ?? undefined,
    topK: interaction.options.getInteger("top_k") ?? undefined,
    topP: interaction.options.getNumber("top_p") ?? undefined,
    seed: interaction.options.getInteger("seed") ?? randomSeed(),
  });

  // 1. bad options are answered at once
  checked(
    () => {
      checkText(prompt, true);
      checkGenerateOptions(options);
    },
    ctx.text,
    {
      seed: options.seed,
      temperature: options.temperature,
      topK: options.topK,
      topP: options.topP,
      length: prompt.length,
      limit: MAX_INPUT_CHARS,
    },
  );

  // 2. write (a few hundred ms at most for MAX_TOKENS), then show
  await interaction.deferReply();
  const handle = await ctx.registry.forGuild(interaction.guildId);
  const redactor = redactorFor(ctx.store, interaction.guildId);
  // never hand a stored message back word for word
  const result = await ctx.heavy(() => redactGeneration(handle, generateText(handle, prompt, options), redactor));
  const footer =
    (result.cut ? `${ctx.text.verbatimCut}\n` : "") +
    ctx.text.generateFooter({
      model: ctx.text.modelName(identityOf(handle)),
      tokens: result.ids.length,
      temperature: options.temperature,
      topK: options.topK,
      topP: options.topP,
      seed: options.seed,
    });
  await respond(interaction, generatedMessage(result, ctx.text, footer));
}
