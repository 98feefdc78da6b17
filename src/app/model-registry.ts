/**
 * Which model answers where. A space (a guild id, or "local" for the playground) uses the model
 * it has chosen (store.models.chosen: the shipped model, one of its stored models, or an
 * imported model of the host's MODELS_DIR); without a choice, its latest trained model, else
 * the shipped default model. DMs always use the default. A chosen model that cannot be loaded
 * (deleted, broken, its file gone) falls back the same way, with one warning.
 *
 * Loaded handles are cached: stored models per space, the shipped model and each imported
 * model once for every space (GPT-2 small is ~500 MB: never a second copy). A new model
 * replaces a space's current one only once its checkpoint has loaded completely, so nobody ever
 * talks to a half-installed model, and only when the installation decides so (see install).
 */
import { statSync } from "node:fs";
import { countParams } from "../model/params.ts";
import { HOST_MIN_PARAMS, startModelHost } from "./model-host.ts";
import { loadHostedModel } from "./hosted-model.ts";
import { loadCheckpointBytes } from "../model/checkpoint.ts";
import type { Kernels } from "../tensor/kernels.ts";
import type { AsyncStore } from "../store/async-store.ts";
import type { ModelInfo } from "../store/index.ts";
import { loadCheckpoint } from "../store/checkpoint-file.ts";
import type { ModelChoice } from "../store/models.ts";
import { type ImportModelOptions, importedKind, probeImportedModel } from "./import-model.ts";
import { resolveImportPath } from "./imported-models.ts";
import { DEFAULT_MODEL_PATH, loadModelFile } from "./load-model.ts";
import { handleFromCheckpoint, type ModelHandle } from "./model-handle.ts";
import { importedModel, type ModelIdentity, SHIPPED_MODEL, storedModel } from "./model-identity.ts";
import { type InstallDecision, installPlan, type ModelInUse, modelInUse } from "./install-decision.ts";

export const DEFAULT_MODEL_NAME = "default model";

/** The part of the store the registry uses (store.models). */
export type GuildModelSource = Pick<AsyncStore["models"], "latestId" | "get" | "list" | "add" | "chosen" | "choose">;

export interface ModelRegistryOptions {
  /** guilds' stored models; without it every guild uses the default model */
  models?: GuildModelSource;
  /** the shipped default model's file */
  defaultModelPath?: string;
  kernels?: Kernels;
  /** told when a stored model cannot be loaded (the guild then uses the default) */
  onWarning?: (message: string) => void;
  /** the host's imported models (MODELS_DIR); without it no space can choose one */
  modelsDir?: string;
  /** what imported models may need (n_head, GPT-2's tokenizer for a nanoGPT ckpt.pt) */
  importOptions?: ImportModelOptions;
  /**
   * What a finished training's model does (see install-decision.ts):
   *   "ask"    it takes over only when it is better than the model in use (both trained in the
   *            space); otherwise it is stored, not chosen, and the surface offers "use it";
   *   "switch" it always takes over (the console's `train`, tests): the decision is still
   *            worked out and returned, with `switched: true`.
   * Default "switch"; the bot and the playground ask.
   */
  installPolicy?: "ask" | "switch";
  /**
   * An imported model of at least this many parameters also loads into a host thread that
   * answers /predict, /generate, /trace and chat off the event loop (./model-host.ts).
   * Default HOST_MIN_PARAMS (20 M); Infinity: never.
   */
  hostMinParams?: number;
}

export interface InstallOptions {
  /** the training run that produced the model */
  runId?: number | null;
}

interface CachedGuildModel {
  /** what was asked for: "#5" (a chosen model) or "latest#7" (the latest, which may have fallen back to an older one) */
  asked: string;
  handle: ModelHandle;
}

interface CachedImport {
  /** the file's size and modification time when loaded: a changed file is loaded again */
  version: string;
  handle: Promise<ModelHandle>;
}

/** A freshly trained model once installed: stored, and chosen or not. */
export interface Installed {
  info: ModelInfo;
  handle: ModelHandle;
  decision: InstallDecision;
}

export class ModelRegistry {
  private readonly defaultPath: string;
  private defaultHandle: Promise<ModelHandle> | null = null;
  private readonly guildModels = new Map<string, CachedGuildModel>();
  /** model ids that failed to load, so the warning is given once */
  private readonly broken = new Set<number>();
  /** imported models by file path, shared by every space */
  private readonly imports = new Map<string, CachedImport>();
  /** "path@version" of imported models that failed to load (the space then falls back) */
  private readonly failedImports = new Set<string>();
  /** "space: reason" warnings already given for a chosen model that cannot be used */
  private readonly warned = new Set<string>();

  constructor(private readonly options: ModelRegistryOptions = {}) {
    this.defaultPath = options.defaultModelPath ?? DEFAULT_MODEL_PATH;
  }

  /** The model for a guild (null/undefined: a DM → the default model). */
  async forGuild(guildId: string | null | undefined): Promise<ModelHandle> {
    return (guildId ? await this.spaceModel(guildId) : undefined) ?? this.defaultModel();
  }

  /** The shipped model's checkpoint file. */
  get defaultModelPath(): string {
    return this.defaultPath;
  }

  /** The folder of the host's imported models (undefined: none offered). */
  get modelsDir(): string | undefined {
    return this.options.modelsDir;
  }

  get importOptions(): ImportModelOptions {
    return this.options.importOptions ?? {};
  }

  /**
   * Which model answers in the space now, from the store alone (nothing loaded): its choice
   * when that still names something (a stored model of its own, an imported model whose file
   * is there), else its latest stored model, else the shipped one.
   */
  async inUse(space: string): Promise<ModelInUse> {
    const models = this.options.models;
    if (!models) return { kind: "shipped" };
    return modelInUse(await models.chosen(space), await models.list(space), {
      stored: (id) => !this.broken.has(id),
      importedFile: (name) => {
        if (this.options.modelsDir === undefined) return undefined;
        const file = resolveImportPath(this.options.modelsDir, name);
        return file !== undefined && !this.failedImports.has(`${file}@${fileVersion(file)}`) ? file : undefined;
      },
    });
  }

  /**
   * Loads what `choice` names for the space, without choosing it: throws (with the reason) when
   * it cannot be used. An imported model's handle is the one every space shares.
   */
  async load(space: string, choice: ModelChoice): Promise<ModelHandle> {
    if (choice.kind === "shipped") return this.defaultModel();
    if (choice.kind === "imported") return this.importedModel(choice.name);
    return this.storedHandle(space, choice.modelId);
  }

  /** Records the space's choice (null: back to its latest trained model) once it has loaded; returns the handle now answering. */
  async choose(space: string, choice: ModelChoice | null): Promise<ModelHandle> {
    const models = this.options.models;
    if (!models) throw new Error(`cannot choose a model for ${space}: this registry has no model store`);
    if (choice !== null) await this.load(space, choice);
    await models.choose(space, choice);
    this.warned.clear();
    return this.forGuild(space);
  }

  /** Whether the guild has a trained model of its own. */
  async hasOwnModel(guildId: string): Promise<boolean> {
    return (await this.options.models?.latestId(guildId)) !== undefined;
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
   * Stores a freshly trained checkpoint of the space and decides whether it answers from now on
   * (decideInstall): a model better than the one in use is chosen; one that is worse, or that
   * cannot be compared with it, is stored but not chosen, and the space keeps its model (its
   * choice is written down, so the new model does not take over as the latest either). The
   * bytes are checked and loaded first: if that fails, nothing changes and the error says why.
   */
  async install(guildId: string, checkpointBytes: Uint8Array, options: InstallOptions = {}): Promise<Installed> {
    const models = this.options.models;
    if (!models) throw new Error(`cannot install a model for guild ${guildId}: this registry has no model store`);
    // 1. parse, check and build the model completely
    const checkpoint = loadCheckpointBytes(checkpointBytes, `new model for guild ${guildId}`);
    const handle = handleFromCheckpoint(checkpoint, "", this.options.kernels);
    // 2. decide against the model in use, 3. store it with the space's choice (one transaction)
    const plan = installPlan(
      guildId,
      checkpointBytes,
      checkpoint,
      await this.inUse(guildId),
      this.options.installPolicy ?? "switch",
      options.runId ?? null,
    );
    const { decision } = plan;
    const info = await models.add(plan.model, plan.choice);
    withIdentity(handle, storedModel(guildId, info.id));
    // 4. swap the cached handle (only when it now answers)
    if (decision.switched) this.guildModels.set(guildId, { asked: `latest#${info.id}`, handle });
    return { info, handle, decision };
  }

  /** Drops a guild's cached model (after its data was deleted); the next call reads the store. */
  forget(guildId: string): void {
    this.guildModels.delete(guildId);
  }

  /** The space's chosen model, else its latest stored one; undefined: the shipped model answers. */
  private async spaceModel(space: string): Promise<ModelHandle | undefined> {
    const models = this.options.models;
    if (!models) return undefined;
    const choice = await models.chosen(space);
    if (choice?.kind === "shipped") return undefined;
    if (choice?.kind === "imported" || choice?.kind === "stored") {
      try {
        return choice.kind === "imported" ? await this.importedModel(choice.name) : await this.storedHandle(space, choice.modelId);
      } catch (err) {
        const warning = `${space}'s chosen model cannot be used (${(err as Error).message}); it uses its latest trained model or the default model instead`;
        if (!this.warned.has(warning)) this.options.onWarning?.(warning);
        this.warned.add(warning);
      }
    }
    return this.latestModel(space);
  }

  /** A stored model of the space by id, from the cache when it is the one cached. */
  private async storedHandle(space: string, id: number): Promise<ModelHandle> {
    const cached = this.guildModels.get(space);
    if (cached?.asked === `#${id}`) return cached.handle;
    if (this.broken.has(id)) throw new Error(`stored model #${id} of ${space} could not be loaded earlier (see the warning then)`);
    const stored = await this.options.models?.get(space, id);
    if (!stored) throw new Error(`${space} has no stored model #${id}`);
    let checkpoint: ReturnType<typeof loadCheckpointBytes>;
    try {
      checkpoint = loadCheckpointBytes(stored.checkpoint, `stored model #${stored.id} of guild ${space}`);
    } catch (err) {
      this.broken.add(id);
      throw err;
    }
    const handle = withIdentity(handleFromCheckpoint(checkpoint, "", this.options.kernels), storedModel(space, stored.id));
    this.guildModels.set(space, { asked: `#${id}`, handle });
    return handle;
  }

  /** An imported model of MODELS_DIR by name, loaded once for every space (again only when its file changed). */
  private importedModel(name: string): Promise<ModelHandle> {
    const dir = this.options.modelsDir;
    if (dir === undefined) return Promise.reject(new Error(`no models folder is set up, so "${name}" cannot be loaded`));
    const file = resolveImportPath(dir, name);
    if (file === undefined) return Promise.reject(new Error(`${dir} has no model "${name}"`));
    const version = fileVersion(file);
    const cached = this.imports.get(file);
    if (cached?.version === version) return cached.handle;
    // a changed file: the old copy's host thread ends
    cached?.handle.then((h) => h.host?.close()).catch(() => undefined);
    // 1. load (a failure is remembered for this version of the file: loading it again would fail the same way)
    const loading = (async () => {
      const imports = this.options.importOptions ?? {};
      const hostMin = this.options.hostMinParams ?? HOST_MIN_PARAMS;
      // 2. a large imported model (its size read from its headers) loads in its host thread, and
      //    the main thread's handle views that one copy of the weights (./hosted-model.ts)
      const kind = importedKind(file);
      if (kind !== null && countParams(probeImportedModel(file, kind, imports).config) >= hostMin)
        return withIdentity(await loadHostedModel(file, name, this.options.kernels, imports), importedModel(file, name));
      const handle = await loadModelFile(file, name, this.options.kernels, imports);
      // 3. a large checkpoint of this project's format: its host thread loads a copy of its own
      if (countParams(handle.model.config) >= hostMin) handle.host = await startModelHost(file, name, imports);
      return withIdentity(handle, importedModel(file, name));
    })();
    loading.catch(() => this.failedImports.add(`${file}@${version}`));
    this.imports.set(file, { version, handle: loading });
    return loading;
  }

  /** The guild's latest stored model, from the cache when it is still the latest. */
  private async latestModel(guildId: string): Promise<ModelHandle | undefined> {
    const models = this.options.models;
    if (!models) return undefined;
    // 1. which model is the latest (a cheap query: another process may have added one)
    const latestId = await models.latestId(guildId);
    if (latestId === undefined) {
      this.guildModels.delete(guildId);
      return undefined;
    }
    const cached = this.guildModels.get(guildId);
    if (cached?.asked === `latest#${latestId}` || cached?.asked === `#${latestId}`) return cached.handle;
    // 2. load it; a broken one (e.g. a checksum mismatch) falls back to the newest older one that loads
    const ids = [
      latestId,
      ...(await models.list(guildId))
        .map((m) => m.id)
        .filter((id) => id !== latestId)
        .sort((a, b) => b - a),
    ];
    for (const id of ids) {
      if (this.broken.has(id)) continue;
      const stored = await models.get(guildId, id);
      if (!stored) continue;
      try {
        const checkpoint = loadCheckpointBytes(stored.checkpoint, `stored model #${stored.id} of guild ${guildId}`);
        const handle = withIdentity(handleFromCheckpoint(checkpoint, "", this.options.kernels), storedModel(guildId, stored.id));
        this.guildModels.set(guildId, { asked: `latest#${latestId}`, handle });
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

/** A file's size and modification time: a different version is a changed file. */
function fileVersion(file: string): string {
  const stat = statSync(file);
  return `${stat.size}:${stat.mtimeMs}`;
}

/** The handle named by its identity. */
function withIdentity(handle: ModelHandle, identity: ModelIdentity): ModelHandle {
  handle.identity = identity;
  handle.name = identity.displayName;
  return handle;
}
