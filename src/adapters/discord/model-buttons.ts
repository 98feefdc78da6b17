/**
 * The "Use it" button under a training's end message when its model was kept but does not
 * answer (it was worse than the model in use, or cannot be compared with it): pressed by
 * someone with Manage Server, the server answers with that model from now on and the message
 * says so (its button gone); pressed by anyone else, a private line says who may.
 *
 *   custom_id  "model-use:#12"   (the ref /model use takes)
 */
import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type ButtonInteraction,
  ButtonStyle,
  ComponentType,
  MessageFlags,
} from "discord.js";
import { MODEL_SENTENCES } from "../../app/model-sentences.ts";
import { InputError } from "../../app/prompt.ts";
import { modelUseReply } from "../../app/replies/models.ts";
import type { CommandContext } from "./command.ts";
import { translated } from "./input-error.ts";
import { discordMessage } from "./reply-format.ts";
import type { Lang } from "./i18n.ts";

const PREFIX = "model-use:";

export function isModelButton(customId: string): boolean {
  return customId.startsWith(PREFIX);
}

/** The message row with the one button that switches to `ref` (Discord's component JSON). */
export function useItButtons(ref: string, lang: Lang): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        { type: ComponentType.Button, style: ButtonStyle.Primary, custom_id: `${PREFIX}${ref}`, label: MODEL_SENTENCES[lang].useIt },
      ],
    },
  ];
}

export async function handleModelButton(
  interaction: ButtonInteraction,
  ctx: Pick<CommandContext, "registry" | "store" | "text" | "lang">,
): Promise<void> {
  const ref = interaction.customId.slice(PREFIX.length);
  const refuse = (content: string) =>
    interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [], repliedUser: false } });
  // 1. only a server manager, in the server
  if (!interaction.inGuild()) return void (await refuse(ctx.text.guildOnly));
  const missing = interaction.memberPermissions?.missing(["ManageGuild"]) ?? ["ManageGuild"];
  if (missing.length > 0) return void (await refuse(ctx.text.userLacks(missing)));
  // 2. switch (an InputError — the model was deleted meanwhile — is said privately, nothing changed)
  let line: string;
  try {
    const reply = await modelUseReply(
      { lang: ctx.lang, registry: ctx.registry, store: ctx.store, space: interaction.guildId, admin: true },
      { ref },
    );
    line = discordMessage(reply).content ?? "";
  } catch (err) {
    const shown = translated(err, ctx.text, {});
    if (shown instanceof InputError) return void (await refuse(shown.message));
    throw err;
  }
  // 3. the training's message says what answers now, without its button
  await interaction.update({
    content: `${interaction.message.content}\n${line}`.slice(0, 2000),
    components: [],
    allowedMentions: { parse: [], repliedUser: false },
  });
}
