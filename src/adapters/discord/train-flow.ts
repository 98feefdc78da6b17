/**
 * /train start|status|stop on Discord. The training itself (one per guild, the worker thread,
 * points to the store, installing the model) is src/app/training-service.ts; this file does
 * what only Discord can: pick and check the channels, read their history through the API, and
 * keep one reply up to date with the progress and a live loss curve.
 *
 *   start:  checks → reserve the guild → defer → read history (stored as it comes) → train
 *           → live edits every few seconds → the outcome, with the final curve
 *   status: the running training's progress and curve, or the last run
 *   stop:   asks the worker to stop; answers once the last checkpoint is installed
 */
import { setTimeout as sleep } from "node:timers/promises";
import {
  type AutocompleteInteraction,
  ChannelType,
  type ChatInputCommandInteraction,
  type Client,
  type GuildBasedChannel,
  type GuildTextBasedChannel,
  type PermissionsString,
} from "discord.js";
import { allowedChannels, applyRetention } from "../../app/guild-policy.ts";
import { InputError } from "../../app/prompt.ts";
import { checkValues } from "../../app/catalogue/check.ts";
import { defaultOf } from "../../app/catalogue/index.ts";
import { checked } from "./input-error.ts";
import {
  DEFAULT_TRAINING_MINUTES,
  DEFAULT_TRAINING_PRESET,
  type GuildTrainingRequest,
  isTrainingPreset,
  type TrainingPreset,
  type Training,
  type TrainingOutcome,
  TrainingError,
  trainingLossPicture,
} from "../../app/training-service.ts";
import type { CommandContext } from "./command.ts";
import { readHistory } from "./history.ts";
import { LiveReply } from "./live-reply.ts";
import { useItButtons } from "./model-buttons.ts";
import { messageOptions, type Outgoing, respond, sendToChannel } from "./outgoing.ts";
import { type Lang, strings } from "./i18n.ts";
import type { Logger } from "./log.ts";
import { storedModel } from "../../app/model-identity.ts";
import { baseSuggestions, resolveTrainingBase, resumedBase, type TrainingBase } from "../../app/fine-tune-base.ts";
import { fineTuneSentences } from "../../app/fine-tune-sentences.ts";
import type { MemoryTooSmall } from "../../app/training-memory.ts";

export const DEFAULT_MAX_MESSAGES: number = defaultOf("train start", "max_messages");
export const MAX_CHANNELS = 5;
/** How long /train stop waits for the last checkpoint before answering anyway. */
const STOP_WAIT_MS = 60_000;
const NEEDED_TO_READ: PermissionsString[] = ["ViewChannel", "ReadMessageHistory"];

type GuildInteraction = ChatInputCommandInteraction<"cached">;

/** What each training reads (for the "reading…" lines of /train status and a refused second /train). */
const readingOf = new WeakMap<Training, { channels: string; max: number }>();
/** The fine-tunings asked with a preset too (their replies say it is not used). */
const presetIgnored = new WeakSet<Training>();

/** The options of /train start, checked (Discord checks ranges too; this is for anything else that sends them). */
export function startOptions(interaction: ChatInputCommandInteraction, ctx: CommandContext) {
  const preset = interaction.options.getString("preset") ?? DEFAULT_TRAINING_PRESET;
  const minutes = interaction.options.getInteger("minutes") ?? DEFAULT_TRAINING_MINUTES;
  const maxMessages = interaction.options.getInteger("max_messages") ?? DEFAULT_MAX_MESSAGES;
  checked(() => checkValues("train start", { preset, minutes, max_messages: maxMessages }), ctx.text, {});
  return {
    preset: preset as TrainingPreset,
    minutes,
    maxMessages,
    channels: interaction.options.getString("channels"),
    resume: interaction.options.getBoolean("resume") === true,
    base: interaction.options.getString("base"),
    presetGiven: interaction.options.getString("preset") !== null,
  };
}

export async function startTraining(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const i = await cachedGuildInteraction(interaction);
  const options = startOptions(i, ctx);

  // 0. resuming: the newest run that ended early, from its last checkpoint, on the stored messages
  let resumeFrom: GuildTrainingRequest["resumeFrom"];
  let preset = options.preset;
  if (options.resume) {
    const run = await ctx.store.runs.latestResumable(i.guildId);
    const checkpoint = run && (await ctx.store.runs.checkpoint(i.guildId, run.id));
    if (!run || !checkpoint) {
      await respond(i, ctx.text.trainNothingToResume, { ephemeral: true });
      return;
    }
    const runPreset = (run.options as { preset?: unknown }).preset;
    if (typeof runPreset === "string" && isTrainingPreset(runPreset)) preset = runPreset;
    resumeFrom = { runId: run.id, checkpoint };
  }

  // 0b. fine-tuning: the base named (a model this server may use), or the resumed run's own base
  let base: TrainingBase | undefined;
  if (resumeFrom) {
    const run = await ctx.store.runs.get(i.guildId, resumeFrom.runId);
    base = resumedBase(run?.options, resumeFrom.checkpoint);
  } else if (options.base !== null) {
    try {
      base = await resolveTrainingBase({ registry: ctx.registry, store: ctx.store }, i.guildId, options.base);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      await respond(i, fineTuneSentences(ctx.lang).badBase(err.code, err.values), { ephemeral: true });
      return;
    }
  }

  // 1. the channels: allowed by the admins, and readable by the bot (nothing to read when resuming)
  const channels = resumeFrom ? [] : resolveChannels(i, options.channels, ctx);
  const allowed = await allowedChannels(ctx.store, i.guildId);
  const refused = allowed === null ? undefined : channels.find((c) => !allowed.includes(c.id));
  if (refused && allowed) {
    await respond(
      i,
      ctx.text.trainChannelNotAllowed(
        channelMention(refused),
        allowed.map((id) => channelMention({ id })),
      ),
      { ephemeral: true },
    );
    return;
  }
  await applyRetention(ctx.store, i.guildId);
  for (const channel of channels) {
    const missing = await missingToRead(i, channel);
    if (missing.length > 0) {
      await respond(i, ctx.text.trainBotLacksIn(channelMention(channel), missing), { ephemeral: true });
      return;
    }
  }

  // 2. one training per guild
  let training: Training;
  try {
    training = await ctx.training.begin(i.guildId, {
      preset,
      minutes: options.minutes,
      ...(resumeFrom && { resumeFrom }),
      ...(base && { base }),
    });
  } catch (err) {
    if (err instanceof TrainingError && err.code === "not-enough-memory") {
      const values = err.values as unknown as MemoryTooSmall & { base: string };
      await respond(i, fineTuneSentences(ctx.lang).notEnoughMemory(values), { ephemeral: true });
      return;
    }
    if (err instanceof TrainingError && err.code === "already-training" && err.training) {
      await respond(i, ctx.text.trainAlreadyRunning(progressText(err.training, ctx)), { ephemeral: true });
      return;
    }
    throw err;
  }

  if (base && options.presetGiven && !resumeFrom) presetIgnored.add(training);
  try {
    await i.deferReply();
    await runTraining(i, ctx, training, channels, options.maxMessages);
  } catch (err) {
    // a progress message left behind would say "reading…" forever: the error line replaces it
    if (i.replied) await i.deleteReply().catch(() => undefined);
    throw err;
  } finally {
    // whatever happened, the guild is free again (a no-op once the training has started)
    await Promise.resolve(training.cancel()).catch((err: unknown) =>
      ctx.log.warn("cannot give the guild's training reservation back", { guild: i.guildId, error: String(err) }),
    );
  }
}

async function runTraining(
  i: GuildInteraction,
  ctx: CommandContext,
  training: Training,
  channels: GuildTextBasedChannel[],
  maxMessages: number,
): Promise<void> {
  const where = { guild: i.guildId, channel: i.channelId, user: i.user.id };
  // a queued training: where its message is, so a restarted bot edits it on (followAgain)
  if (training.showIn)
    await i
      .fetchReply()
      .then((m) => training.showIn!({ channelId: m.channelId, messageId: m.id, lang: ctx.lang }))
      .catch((err: unknown) => ctx.log.warn("cannot record where the /train message is", { ...where, error: String(err) }));
  const channelList = channels.map(channelMention).join(" ");
  readingOf.set(training, { channels: channelList, max: maxMessages });
  const live = new LiveReply(
    async () => respond(i, await liveView(training, ctx)),
    (err) => ctx.log.warn("cannot edit the /train progress", { ...where, error: String(err) }),
  );
  const unsubscribe = training.subscribe(() => live.poke());
  live.poke();

  // 1. read the history; every page is stored at once (idempotent by message id); a resumed run reads nothing
  let read: Awaited<ReturnType<typeof readHistory>> | { read: number; failed: []; stopped: boolean } = {
    read: 0,
    failed: [],
    stopped: false,
  };
  if (channels.length > 0)
    try {
      read = await readHistory(channels, {
        guildId: i.guildId,
        max: maxMessages,
        before: i.id,
        shouldStop: () => training.stopRequested,
        onPage: async (kept, totals) => {
          if (training.outcome !== null) return; // wiped while reading: store nothing more
          await ctx.store.messages.addMany(kept);
          training.noteCollected(totals.read, totals.kept);
        },
      });
    } catch (err) {
      unsubscribe();
      await live.close();
      throw err;
    }
  for (const f of read.failed)
    ctx.log.warn("cannot read a channel's history for /train", { ...where, readChannel: f.channel.id, error: String(f.error) });
  const failedNote =
    read.failed.length > 0 ? ctx.text.trainReadFailed(read.failed.map((f) => channelMention(f.channel)).join(" ")) : undefined;
  if (channels.length > 0 && read.failed.length === channels.length) {
    unsubscribe();
    await live.close();
    throw new Error(`no channel could be read: ${read.failed.map((f) => `${f.channel.id}: ${String(f.error)}`).join("; ")}`);
  }

  // 2. train on everything stored for this guild (a stop while reading ends here)
  if (read.stopped || training.stopRequested) {
    await training.cancel();
  } else {
    try {
      await training.train();
    } catch (err) {
      unsubscribe();
      await live.close();
      if (err instanceof TrainingError && err.code === "not-enough-text") {
        // the "reading…" message has done its job: only the asker sees why nothing was trained
        if (i.replied) await i.deleteReply().catch(() => undefined);
        const v = err.values as { base?: string; messages: number; characters: number; needMessages: number; needCharacters: number };
        if (v.base !== undefined) {
          await respond(i, fineTuneSentences(ctx.lang).notEnoughText({ ...v, base: v.base }), { ephemeral: true });
          return;
        }
        await respond(
          i,
          ctx.text.trainNotEnoughText({
            ...(err.values as { messages: number; characters: number; needMessages: number; needCharacters: number; preset: string }),
            read: read.read,
          }),
          { ephemeral: true },
        );
        return;
      }
      throw err;
    }
  }

  // 3. the outcome replaces the live progress
  const outcome = await training.done;
  unsubscribe();
  await live.close();
  if (outcome.status === "failed") ctx.log.error("/train failed", { ...where, run: training.runId }, outcome.error);
  const final = await outcomeView(training, outcome, ctx, failedNote);
  try {
    await respond(i, final);
  } catch (err) {
    // the interaction's token lasts 15 minutes: after that, say it in the channel
    ctx.log.warn("cannot edit the /train reply: posting the outcome in the channel", { ...where, error: String(err) });
    if (i.channel) await sendToChannel(i.channel, final);
    else throw err;
  }
}

/**
 * A restarted bot's part of a queued training it had started: its /train message (recorded by
 * showIn) edited on with the progress until the training ends, then its outcome. The message
 * is edited through the channel (the interaction's token may have expired); a message that is
 * gone gets the outcome posted in its channel.
 */
export async function followAgain(
  client: Client<true>,
  training: Training,
  reply: { channelId: string; messageId: string; lang: string },
  log: Logger,
): Promise<void> {
  const lang: Lang = reply.lang === "ja" ? "ja" : "en";
  const ctx = { lang, text: strings(lang) };
  const where = { guild: training.guildId, channel: reply.channelId, message: reply.messageId };
  const channel = await client.channels.fetch(reply.channelId);
  if (!channel?.isTextBased() || !("messages" in channel)) {
    log.warn("cannot find the channel of a /train message to follow after a restart", where);
    return;
  }
  const edit = async (o: Outgoing) => void (await channel.messages.edit(reply.messageId, messageOptions(o)));
  const live = new LiveReply(
    async () => edit(await liveView(training, ctx)),
    (err) => log.warn("cannot edit the /train progress after a restart", { ...where, error: String(err) }),
  );
  const unsubscribe = training.subscribe(() => live.poke());
  live.poke();
  const outcome = await training.done;
  unsubscribe();
  await live.close();
  const final = await outcomeView(training, outcome, ctx, undefined);
  await edit(final).catch(async (err: unknown) => {
    log.warn("cannot edit the /train message after a restart: posting the outcome in the channel", { ...where, error: String(err) });
    if ("send" in channel) await sendToChannel(channel, final);
  });
}

/** base:'s suggestions: this server's usable models whose ref or name contains what is typed. */
export async function suggestBases(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== "base" || !interaction.guildId) {
    await interaction.respond([]);
    return;
  }
  await interaction.respond(
    await baseSuggestions({ registry: ctx.registry, store: ctx.store }, interaction.guildId, ctx.lang, String(focused.value)),
  );
}

export async function trainingStatus(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const guildId = interaction.guildId!;
  const training = await ctx.training.current(guildId);
  if (training) {
    await respond(interaction, await liveView(training, ctx), { ephemeral: true });
    return;
  }
  const { last, steps } = await lastRun(ctx, guildId);
  await respond(interaction, ctx.text.trainNotRunning(last && { status: last.status, at: last.finishedAt ?? last.startedAt, steps }), {
    ephemeral: true,
  });
}

export async function stopTraining(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const training = await ctx.training.stop(interaction.guildId!);
  if (!training) {
    const { last, steps } = await lastRun(ctx, interaction.guildId!);
    await respond(interaction, ctx.text.trainNotRunning(last && { status: last.status, at: last.finishedAt ?? last.startedAt, steps }), {
      ephemeral: true,
    });
    return;
  }
  // the worker stops after its current step, evaluates, and sends its last checkpoint
  await interaction.deferReply();
  const outcome = await Promise.race([training.done, sleep(STOP_WAIT_MS, null, { ref: false })]);
  await respond(
    interaction,
    outcome === null ? ctx.text.trainStopping : { content: ctx.text.trainStopReply(outcome), components: outcomeButtons(outcome, ctx) },
  );
}

/** The guild's newest run, and the step it reached (what "no training runs" says). */
async function lastRun(ctx: CommandContext, guildId: string) {
  const last = await ctx.store.runs.latest(guildId);
  const steps = last ? ((await ctx.store.runs.points(guildId, last.id)).at(-1)?.step ?? null) : null;
  return { last, steps };
}

// ---------------------------------------------------------------------------------------------

/** The live message: reading progress, or training progress with the loss curve so far. */
async function liveView(training: Training, ctx: Pick<CommandContext, "text" | "lang">): Promise<Outgoing> {
  const content = progressText(training, ctx);
  const s = training.snapshot();
  if (s.phase === "collecting" || training.points.length === 0) return { content };
  const png = await trainingLossPicture(training.points, s.totalSteps, ctx.text.trainModelName, ctx.lang);
  return { content, files: [{ name: "loss.png", data: png }] };
}

async function outcomeView(
  training: Training,
  outcome: TrainingOutcome,
  ctx: Pick<CommandContext, "text" | "lang">,
  note: string | undefined,
): Promise<Outgoing> {
  const base = training.request.base;
  const fromLine = base && outcome.model ? fineTuneSentences(ctx.lang).fineTunedFrom({ base: base.name }) : undefined;
  const content = [ctx.text.trainOutcome(outcome), fromLine, handOverLine(training, ctx), note].filter((x) => x !== undefined).join("\n");
  const components = outcomeButtons(outcome, ctx);
  if (training.points.length === 0) return { content, components };
  const name = outcome.model ? ctx.text.modelName(storedModel(training.guildId, outcome.model.id)) : ctx.text.trainModelName;
  const png = await trainingLossPicture(training.points, outcome.totalSteps, name, ctx.lang, outcome.model);
  return { content, files: [{ name: "loss.png", data: png }], components };
}

/** "Use it" when the new model was kept but does not answer (never switched silently); none otherwise. */
function outcomeButtons(outcome: TrainingOutcome, ctx: Pick<CommandContext, "lang">): NonNullable<Outgoing["components"]> {
  if (!outcome.model || !outcome.installation || outcome.installation.switched) return [];
  return useItButtons(`#${outcome.model.id}`, ctx.lang);
}

/** One or two lines: where a training is (reading, waiting for a worker, or step/loss/ETA). */
function progressText(training: Training, ctx: Pick<CommandContext, "text" | "lang">): string {
  const s = training.snapshot();
  const reading = readingOf.get(training) ?? { channels: "", max: s.collected.read };
  const line =
    s.phase === "collecting"
      ? ctx.text.trainReading({ channels: reading.channels, read: s.collected.read, kept: s.collected.kept, max: reading.max })
      : s.queue?.waiting
        ? ctx.text.trainQueued(s)
        : ctx.text.trainProgress(s);
  return [...fineTuneLines(training, ctx), line, handOverLine(training, ctx)].filter((x) => x !== undefined).join("\n");
}

/** A queued training whose worker died: which attempt this is, and the step it resumed from. */
function handOverLine(training: Training, ctx: Pick<CommandContext, "text">): string | undefined {
  const q = training.snapshot().queue;
  return q && q.attempt > 1 ? ctx.text.trainHandedOver({ attempt: q.attempt, step: q.resumedFromStep }) : undefined;
}

/** A fine-tuning's first lines: its base, and that the preset given is not used. */
function fineTuneLines(training: Training, ctx: Pick<CommandContext, "lang">): string[] {
  const base = training.request.base;
  if (!base) return [];
  const say = fineTuneSentences(ctx.lang);
  return [
    say.fineTuning({ base: base.name }),
    ...(presetIgnored.has(training) ? [say.presetIgnored({ base: base.name, preset: training.request.preset })] : []),
  ];
}

async function cachedGuildInteraction(interaction: ChatInputCommandInteraction): Promise<GuildInteraction> {
  if (interaction.inCachedGuild()) return interaction;
  throw new Error(`guild ${interaction.guildId} is not in the cache (the Guilds intent is missing?)`);
}

/** The channels named in `spec` (#mentions, ids or names), or the current channel. */
export function resolveChannels(i: GuildInteraction, spec: string | null, ctx: CommandContext): GuildTextBasedChannel[] {
  const refs = (spec ?? "").split(/[\s,、]+/).filter((r) => r.length > 0);
  const found = new Map<string, GuildTextBasedChannel>();
  if (refs.length === 0) {
    const here = i.channel;
    if (!here) throw new InputError(ctx.text.trainNoSuchChannel(`<#${i.channelId}>`), "no-channel");
    found.set(here.id, here);
  }
  for (const ref of refs) {
    const id = /^<#(\d{17,20})>$/.exec(ref)?.[1] ?? (/^\d{17,20}$/.test(ref) ? ref : undefined);
    const name = ref.replace(/^#/, "").toLowerCase();
    const channel: GuildBasedChannel | undefined =
      id !== undefined
        ? i.guild.channels.cache.get(id)
        : i.guild.channels.cache.find((c) => c.name.toLowerCase() === name && c.isTextBased());
    if (!channel) throw new InputError(ctx.text.trainNoSuchChannel(plainRef(ref)), "no-channel");
    if (!channel.isTextBased() || channel.type === ChannelType.GuildVoice || channel.type === ChannelType.GuildStageVoice) {
      throw new InputError(ctx.text.trainNotTextChannel(channelMention(channel)), "not-text-channel");
    }
    found.set(channel.id, channel);
  }
  if (found.size > MAX_CHANNELS) throw new InputError(ctx.text.trainTooManyChannels(MAX_CHANNELS), "too-many-channels");
  return [...found.values()];
}

/** What the bot lacks to read a channel's history (the command's own channel: as Discord says in the interaction). */
async function missingToRead(i: GuildInteraction, channel: GuildTextBasedChannel): Promise<PermissionsString[]> {
  if (channel.id === i.channelId) return i.appPermissions.missing(NEEDED_TO_READ);
  const me = i.guild.members.me ?? (await i.guild.members.fetchMe());
  const permissions = channel.permissionsFor(me);
  return permissions ? permissions.missing(NEEDED_TO_READ) : NEEDED_TO_READ;
}

function channelMention(channel: { id: string }): string {
  return `<#${channel.id}>`;
}

/** A reference the user typed, shown harmlessly. */
function plainRef(ref: string): string {
  return `\`${ref.replace(/`/g, "ˋ").slice(0, 40)}\``;
}
