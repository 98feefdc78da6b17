/**
 * Starting the bot: the store, the model registry, the commands of commands/, the client and
 * its event handlers. `startBot` resolves once the bot is connected and has its guilds;
 * `startSharded` runs one such bot per shard in child processes (discord.js ShardingManager),
 * all sharing the store: the SQLite file (WAL + busy timeout), or PostgreSQL with DATABASE_URL.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Client, type Collection, Events, REST, Routes, ShardingManager } from "discord.js";
import { fastestKernels } from "../../app/kernels.ts";
import { ModelRegistry } from "../../app/model-registry.ts";
import { type Trainings, TrainingService } from "../../app/training-service.ts";
import { QueuedTrainings } from "../../queue/queued-trainings.ts";
import { type Config, configToEnv } from "../../config.ts";
import { DEFAULT_MODELS_DIR } from "../../app/fetch-model.ts";
import { type AsyncStore, openAsyncStore } from "../../store/async-store.ts";
import { DEFAULT_RATE_LIMIT, RateLimiter } from "../../app/rate-limit.ts";
import { createHeavyQueue, type HeavyQueue } from "../../app/heavy-queue.ts";
import { applyRetention } from "../../app/guild-policy.ts";
import { handleChatMessage } from "./chat.ts";
import { createClient } from "./client.ts";
import type { Command } from "./command.ts";
import { loadCommands } from "./command-loader.ts";
import { dispatchInteraction } from "./dispatcher.ts";
import { consoleLogger, type Logger } from "./log.ts";
import { SerialQueue } from "./serial-queue.ts";
import { followAgain } from "./train-flow.ts";
import { keyedChain } from "./keyed-chain.ts";

/** Chat replies wait at most about a minute behind the others (at most 100 of them); more get a "busy" line. */
const CHAT_QUEUE = { maxWaitMs: 60_000, maxPending: 100, firstEstimateMs: 1_000 };
/** How often a running bot deletes the messages past each guild's retention period. */
const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

export interface BotDeps {
  /** the per-user limit on expensive work; null turns it off */
  rateLimiter?: RateLimiter | null;
  /** default: openAsyncStore(config) (PostgreSQL with config.databaseUrl, else the SQLite file), closed on stop */
  store?: AsyncStore;
  /** default: the store's models, then the default model */
  registry?: ModelRegistry;
  /** default: the files of commands/ */
  commands?: Collection<string, Command>;
  /**
   * default: worker-thread trainings on the store and registry, stopped with the bot; with
   * DATABASE_URL, fresh models queued for `npm run worker` (src/queue/), which go on when the bot stops
   */
  training?: Trainings;
  log?: Logger;
}

export interface BotHandle {
  client: Client<true>;
  store: AsyncStore;
  registry: ModelRegistry;
  commands: Collection<string, Command>;
  training: Trainings;
  /** the queue of forward passes and pictures (its depth is what the load bench reports) */
  heavy: HeavyQueue;
  stop(): Promise<void>;
}

export async function startBot(config: Config, deps: BotDeps = {}): Promise<BotHandle> {
  const log = deps.log ?? consoleLogger;
  const ownStore = deps.store === undefined;
  const store = deps.store ?? (await openAsyncStore({ databaseUrl: config.databaseUrl, databasePath: config.databasePath }));
  let queued: QueuedTrainings | undefined;
  try {
    const registry =
      deps.registry ??
      new ModelRegistry({
        models: store.models,
        defaultModelPath: config.defaultModelPath,
        modelsDir: config.modelsDir ?? DEFAULT_MODELS_DIR,
        kernels: fastestKernels(),
        onWarning: (m) => log.warn(m),
        // a training that is not better than the model in use asks ("Use it") instead of switching
        installPolicy: "ask",
      });
    const commands = deps.commands ?? (await loadCommands());
    const warn = (m: string, err?: unknown) =>
      log.warn(err === undefined ? m : `${m}: ${err instanceof Error ? err.message : String(err)}`);
    const inProcess = () => new TrainingService({ store, registry, overrides: config.trainingOverrides, onWarning: warn });
    queued =
      deps.training === undefined && config.databaseUrl !== undefined
        ? await QueuedTrainings.open({
            databaseUrl: config.databaseUrl,
            store,
            local: inProcess(),
            overrides: config.trainingOverrides,
            onWarning: warn,
          })
        : undefined;
    const training: Trainings = deps.training ?? queued ?? inProcess();
    const client = createClient(config);
    // a model a worker installed: this process's cached model of that guild is dropped, and the new one loaded
    queued?.onInstalled((guildId) => {
      registry.forget(guildId);
      if (!client.guilds.cache.has(guildId)) return;
      registry.forGuild(guildId).then(
        (handle) => log.info("loaded the model a worker installed", { guild: guildId, model: handle.name }),
        (err: unknown) => log.warn(`the model installed for guild ${guildId} cannot be loaded: ${String(err)}`),
      );
    });
    const chatQueue = new SerialQueue(CHAT_QUEUE);
    const heavy = createHeavyQueue();
    // expensive commands and chat, per user (null: no limit, for tests that send bursts)
    const rateLimiter = deps.rateLimiter === undefined ? new RateLimiter(DEFAULT_RATE_LIMIT) : deps.rateLimiter;

    // events
    client.on(Events.InteractionCreate, (interaction) => {
      dispatchInteraction(interaction, { config, store, registry, training, log, commands, rateLimiter, heavy }).catch((err: unknown) =>
        log.error("interaction handling failed", { id: interaction.id }, err),
      );
    });
    client.on(Events.MessageCreate, (message) => {
      handleChatMessage(message, { registry, log, queue: chatQueue, store, rateLimiter }).catch((err: unknown) =>
        log.error("message handling failed", { id: message.id }, err),
      );
    });
    // what people delete or edit on Discord is deleted or edited in the store too, a guild's
    // changes in the order Discord sent them (two quick edits: the second text is the one kept)
    const inOrder = keyedChain();
    const forget = (guildId: string | null, id: string) => {
      if (guildId === null) return;
      inOrder(guildId, () => store.messages.delete(guildId, id)).catch((err: unknown) =>
        log.error("cannot forget a deleted message", { guild: guildId, message: id }, err),
      );
    };
    client.on(Events.MessageDelete, (message) => forget(message.guildId, message.id));
    client.on(Events.MessageBulkDelete, (messages) => messages.forEach((m) => forget(m.guildId, m.id)));
    client.on(Events.MessageUpdate, (_old, updated) => {
      const { guildId, id, content } = updated;
      if (guildId === null || typeof content !== "string") return;
      inOrder(guildId, () =>
        content.trim() === "" ? store.messages.delete(guildId, id) : store.messages.updateText(guildId, id, content),
      ).catch((err: unknown) => log.error("cannot update an edited message", { guild: guildId, message: id }, err));
    });
    // a guild the bot joins (GuildCreate) or finds again at login (GuildAvailable): recorded, and
    // its messages older than its retention period deleted
    const recordGuild = async (guild: { id: string; name: string }) => {
      try {
        await store.guilds.upsert({ id: guild.id, name: guild.name });
        await applyRetention(store, guild.id);
      } catch (err) {
        log.error("cannot record a guild", { guild: guild.id }, err);
      }
    };
    client.on(Events.GuildCreate, (guild) => void recordGuild(guild));
    client.on(Events.GuildAvailable, (guild) => void recordGuild(guild));
    client.on(Events.Error, (err) => log.error("discord.js client error", {}, err));
    client.on(Events.Warn, (message) => log.warn(message));
    client.on(Events.ShardError, (err, shardId) => log.error("shard connection error", { shard: shardId }, err));

    // load the default model while connecting: the first command then answers at once,
    // and a missing file is reported at start rather than at the first /predict
    registry.defaultModel().catch((err: unknown) => log.warn(`the default model cannot be loaded: ${(err as Error).message}`));

    const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
    try {
      await client.login(config.token);
      await ready;
    } catch (err) {
      await client.destroy();
      throw err;
    }
    const readyClient = client as Client<true>;

    // runs left "running" by a previous process of this shard died with it
    const guildIds = [...readyClient.guilds.cache.keys()];
    // every guild present at login, whichever event announced it; then again every hour, so a
    // bot that runs for months still forgets on time (one sweep at a time, a guild after another)
    let sweeping: Promise<void> | null = null;
    const applyAllRetention = () => {
      sweeping ??= (async () => {
        for (const guild of [...readyClient.guilds.cache.values()]) await recordGuild(guild);
      })().finally(() => (sweeping = null));
      return sweeping;
    };
    await applyAllRetention();
    const retentionTimer = setInterval(() => void applyAllRetention(), RETENTION_INTERVAL_MS);
    retentionTimer.unref();
    // queued trainings of this process's guilds go on on their workers: followed again, and their runs left running
    const followed = queued ? await queued.followAgain(guildIds) : [];
    for (const { training: t, reply } of followed)
      if (reply)
        followAgain(readyClient, t, reply, log).catch((err: unknown) =>
          log.error("following a queued training after a restart failed", { guild: t.guildId }, err),
        );
    const stillQueued = new Set(followed.map((f) => f.training.guildId));
    const interrupted = await store.runs.markInterrupted(
      queued ? guildIds.filter((g) => !stillQueued.has(g)) : process.env.SHARDING_MANAGER === "true" ? guildIds : undefined,
    );
    log.info(`logged in as ${readyClient.user.tag}`, {
      guilds: guildIds.length,
      commands: commands.size,
      interruptedRuns: interrupted,
      shards: readyClient.ws.shards.size,
    });

    return {
      client: readyClient,
      store,
      registry,
      commands,
      training,
      heavy,
      async stop() {
        clearInterval(retentionTimer);
        // trainings die with the bot: their workers are ended and their runs marked interrupted
        await training.shutdown();
        await client.destroy();
        await sweeping;
        if (ownStore) await store.close();
      },
    };
  } catch (err) {
    await queued?.shutdown();
    if (ownStore) await store.close();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Sharding

/** The file each shard process runs. */
export const SHARD_PROCESS_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "shard-process.ts");

export interface ShardedOptions {
  log?: Logger;
  /** ms between starting shards (Discord allows one identify per 5 s per bucket); default 5500 */
  spawnDelayMs?: number;
  /** ms to wait for each shard to be ready; default 60 s */
  readyTimeoutMs?: number;
}

export interface ShardedHandle {
  manager: ShardingManager;
  totalShards: number;
  stop(): Promise<void>;
}

export async function startSharded(config: Config, options: ShardedOptions = {}): Promise<ShardedHandle> {
  const log = options.log ?? consoleLogger;
  if (config.shards === undefined) throw new Error('startSharded needs SHARDS ("auto" or a number)');
  // discord.js would ask discord.com itself for "auto": ask DISCORD_API_URL instead
  const totalShards = config.shards === "auto" ? await recommendedShardCount(config) : config.shards;
  const manager = new ShardingManager(SHARD_PROCESS_FILE, {
    token: config.token,
    totalShards,
    // SHARD_IDS: this host's part of the shards (the other hosts run the rest)
    shardList: config.shardIds ?? "auto",
    mode: "process",
    respawn: true,
    // shard processes run TypeScript like this one does
    execArgv: ["--import", pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href],
  });
  manager.on("shardCreate", (shard) => {
    // the children get exactly this config, whether it came from .env or the environment
    Object.assign(shard.env as Record<string, unknown>, configToEnv(config));
    shard.on("death", () => log.warn("shard process exited", { shard: shard.id }));
    log.info("starting shard", { shard: shard.id, of: totalShards });
  });
  const stop = async () => {
    for (const shard of manager.shards.values()) shard.kill();
  };
  try {
    await manager.spawn({ amount: totalShards, delay: options.spawnDelayMs ?? 5500, timeout: options.readyTimeoutMs ?? 60_000 });
  } catch (err) {
    await stop();
    throw err;
  }
  return { manager, totalShards, stop };
}

/** What GET /gateway/bot recommends, asked at DISCORD_API_URL. */
export async function recommendedShardCount(config: Config): Promise<number> {
  const rest = new REST({ api: config.apiUrl }).setToken(config.token);
  const info = (await rest.get(Routes.gatewayBot())) as { shards: number };
  return Math.max(1, info.shards);
}
