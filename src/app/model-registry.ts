/**
 * Which model answers where: a guild's own latest trained model, else the shipped default
 * model; DMs always use the default. Loaded handles are cached. A new model replaces a guild's
 * current one only once its checkpoint has loaded completely, so nobody ever talks to a
 * half-installed model.
 */
import { loadCheckpointBytes } from "../model/checkpoint.ts";
import type { Kernels } from "../tensor/kernels.ts";
import type { ModelInfo, NewModel, StoredModel } from "../store/index.ts";
import { loadCheckpoint } from "../store/checkpoint-file.ts";
import { DEFAULT_MODEL_PATH } from "./load-model.ts";
import { handleFromCheckpoint, type ModelHandle } from "./model-handle.ts";
import { type ModelIdentity, SHIPPED_MODEL, storedModel } from "./model-identity.ts";

export const DEFAULT_MODEL_NAME = "default model";

/** The part of the store the registry uses (store.models). */
export interface GuildModelSource {
  latestId(guildId: string): number | undefined;
  latest(guildId: string): StoredModel | undefined;
  get(guildId: string, id: number): StoredModel | undefined;
  list(guildId: string): ModelInfo[];
  add(model: NewModel): ModelInfo;
}

export interface ModelRegistryOptions {
  /** guilds' stored models; without it every guild uses the default model */
  models?: GuildModelSource;
  /** the shipped default model's file */
  defaultModelPath?: string;
  kernels?: Kernels;
  /** told when a stored model cannot be loaded (the guild then uses the default) */
  onWarning?: (message: string) => void;
}

export interface InstallOptions {
  /** the training run that produced the model */
  runId?: number | null;
}

interface CachedGuildModel {
  modelId: number;
  handle: ModelHandle;
}

export class ModelRegistry {
  private readonly defaultPath: string;
  private defaultHandle: Promise<ModelHandle> | null = null;
  private readonly guildModels = new Map<string, CachedGuildModel>();
  /** model ids that failed to load, so the warning is given once */
  private readonly broken = new Set<number>();

  constructor(private readonly options: ModelRegistryOptions = {}) {
    this.defaultPath = options.defaultModelPath ?? DEFAULT_MODEL_PATH;
  }

  /** The model for a guild (null/undefined: a DM → the default model). */
  async forGuild(guildId: string | null | undefined): Promise<ModelHandle> {
    return (guildId ? this.guildModel(guildId) : undefined) ?? this.defaultModel();
  }

  /** Whether the guild has a trained model of its own. */
  hasOwnModel(guildId: string): boolean {
    return this.options.models?.latestId(guildId) !== undefined;
  }

  /** The shipped default model, loaded once. */
  defaultModel(): Promise<ModelHandle> {
    if (!this.defaultHandle) {
      const loading = loadCheckpoint(this.defaultPath).then((checkpoint) =>
        withIdentity(handleFromCheckpoint(checkpoint, DEFAULT_MODEL_NAME, this.options.kernels), SHIPPED_MODEL),
      );
      // a failed load is retried next time (e.g. the file appears later)
      loading.catch(() => {
        if (this.defaultHandle === loading) this.defaultHandle = null;
      });
      this.defaultHandle = loading;
    }
    return this.defaultHandle;
  }

  /**
   * Stores a freshly trained checkpoint as the guild's model and switches to it.
   * The bytes are checked and loaded first: if that fails, nothing changes and the error says why.
   */
  install(guildId: string, checkpointBytes: Uint8Array, options: InstallOptions = {}): { info: ModelInfo; handle: ModelHandle } {
    const models = this.options.models;
    if (!models) throw new Error(`cannot install a model for guild ${guildId}: this registry has no model store`);
    // 1. parse, check and build the model completely
    const checkpoint = loadCheckpointBytes(checkpointBytes, `new model for guild ${guildId}`);
    const handle = handleFromCheckpoint(checkpoint, "", this.options.kernels);
    // 2. store it (one transaction), 3. swap the cached handle
    const info = models.add({
      guildId,
      checkpoint: checkpointBytes,
      config: checkpoint.config,
      step: checkpoint.meta.step,
      valLoss: checkpoint.meta.valLoss ?? null,
      trainLoss: checkpoint.meta.trainLoss ?? null,
      runId: options.runId ?? null,
    });
    withIdentity(handle, storedModel(guildId, info.id));
    this.guildModels.set(guildId, { modelId: info.id, handle });
    return { info, handle };
  }

  /** Drops a guild's cached model (after its data was deleted); the next call reads the store. */
  forget(guildId: string): void {
    this.guildModels.delete(guildId);
  }

  /** The guild's latest stored model, from the cache when it is still the latest. */
  private guildModel(guildId: string): ModelHandle | undefined {
    const models = this.options.models;
    if (!models) return undefined;
    // 1. which model is the latest (a cheap query: another process may have added one)
    const latestId = models.latestId(guildId);
    if (latestId === undefined) {
      this.guildModels.delete(guildId);
      return undefined;
    }
    const cached = this.guildModels.get(guildId);
    if (cached?.modelId === latestId) return cached.handle;
    // 2. load it; a broken one (e.g. a checksum mismatch) falls back to the newest older one that loads
    const ids = [
      latestId,
      ...models
        .list(guildId)
        .map((m) => m.id)
        .filter((id) => id !== latestId)
        .sort((a, b) => b - a),
    ];
    for (const id of ids) {
      if (this.broken.has(id)) continue;
      const stored = models.get(guildId, id);
      if (!stored) continue;
      try {
        const checkpoint = loadCheckpointBytes(stored.checkpoint, `stored model #${stored.id} of guild ${guildId}`);
        const handle = withIdentity(handleFromCheckpoint(checkpoint, "", this.options.kernels), storedModel(guildId, stored.id));
        this.guildModels.set(guildId, { modelId: latestId, handle });
        if (id !== latestId) this.options.onWarning?.(`guild ${guildId} keeps serving its last good model #${id}`);
        return handle;
      } catch (err) {
        this.broken.add(id);
        this.options.onWarning?.(
          `${(err as Error).message}; guild ${guildId} uses ${ids.length > 1 ? "an older model or " : ""}the default model instead`,
        );
      }
    }
    return undefined;
  }
}

/** The handle named by its identity. */
function withIdentity(handle: ModelHandle, identity: ModelIdentity): ModelHandle {
  handle.identity = identity;
  handle.name = identity.displayName;
  return handle;
}
