/**
 * The base of a fine-tuning started from /train start base:… or the playground's panel: one of
 * the models the space may use (model-catalogue.ts), named by its ref, checked before anything
 * is read or loaded.
 *
 *   ref ("gpt2", "#3", "default")  →  listModels + resolveRef  →  TrainingBase
 *     imported   the host's MODELS_DIR file or folder: the worker loads it by path (initFrom)
 *     stored     the space's own trained model: its checkpoint bytes go to the worker
 *     shipped    the bot's default model: the worker loads its checkpoint file by path
 *
 * The base keeps its size and tokenizer: the training window is min(its block, FINE_TUNE.context),
 * the batch FINE_TUNE.batchSize, and the memory of that training is counted here (training-memory.ts).
 */
import type { GPTConfig } from "../model/config.ts";
import { loadCheckpointBytes } from "../model/checkpoint.ts";
import { type CatalogueDeps, type CatalogueModel, listModels, resolveRef } from "./model-catalogue.ts";
import { resolveImportPath } from "./imported-models.ts";
import { InputError } from "./prompt.ts";
import { MODEL_SENTENCES } from "./model-sentences.ts";
import type { Lang } from "../lang.ts";
import { FINE_TUNE } from "./train-model.ts";
import { availableMemory, checkTrainingMemory, MemoryTooSmallError, type TrainingMemory } from "./training-memory.ts";
import { MIN_MESSAGES, type CorpusRequirement } from "./training-limits.ts";

/** What a fine-tuning request carries: who the base is, its shape, and where the worker gets its weights. */
export interface TrainingBase {
  /** the ref the user gave, as the catalogue spells it ("gpt2", "#3", "default") */
  ref: string;
  /** how the run and the new model's checkpoint name it (English, e.g. "gpt2", "server model #3") */
  name: string;
  config: GPTConfig;
  /** a file or folder the worker loads (imported, shipped); absent for a stored model or a resumed run */
  initFrom?: string;
  /** a stored model's checkpoint */
  checkpoint?: Uint8Array;
}

/** The training window of a base: its block size, at most FINE_TUNE.context tokens. */
export function baseWindow(config: GPTConfig): number {
  return Math.min(config.blockSize, FINE_TUNE.context);
}

/** How much text fine-tuning `config` needs: a 90/10 split with a full window of the base's in the 10 %. */
export function baseCorpusRequirement(config: GPTConfig): CorpusRequirement {
  const tokens = Math.ceil((baseWindow(config) + 1) / 0.1) + 1;
  return { messages: MIN_MESSAGES, characters: 2 * tokens, tokens };
}

/** The memory fine-tuning `config` needs (the worker's kernels allocate in WebAssembly memory); MemoryTooSmallError if it cannot fit. */
export function checkBaseMemory(config: GPTConfig, available: number = availableMemory()): TrainingMemory {
  return checkTrainingMemory(config, FINE_TUNE.batchSize, baseWindow(config), true, available);
}

export { MemoryTooSmallError };

/** The models a space may fine-tune: usable ones, its own first, then the host's, then the shipped one. */
export async function baseChoices(deps: CatalogueDeps, space: string): Promise<CatalogueModel[]> {
  const order = { stored: 0, imported: 1, shipped: 2 } as const;
  return (await listModels(deps, space)).models
    .filter((m) => m.usable && m.config !== null)
    .sort((a, b) => order[a.source] - order[b.source]);
}

/**
 * What base: suggests while it is typed (Discord's autocomplete, the playground's choice): the
 * choices whose ref or name contains `typed`, at most 25 (Discord's limit), each labelled as
 * /model's suggestions are ("#3 “name” · trained here · 2.345").
 */
export async function baseSuggestions(
  deps: CatalogueDeps,
  space: string,
  lang: Lang,
  typed = "",
): Promise<{ name: string; value: string }[]> {
  const s = MODEL_SENTENCES[lang];
  const wanted = typed.trim().toLowerCase();
  return (await baseChoices(deps, space))
    .filter((m) => wanted === "" || m.ref.toLowerCase().includes(wanted) || (m.userName ?? "").toLowerCase().includes(wanted))
    .slice(0, 25)
    .map((m) => {
      const label = m.userName ? `${m.ref} “${m.userName}”` : m.ref;
      const loss = m.valLoss === null ? "" : ` · ${m.valLoss.toFixed(3)}`;
      return { name: [...`${label} · ${s.source[m.source]}${loss}`].slice(0, 100).join(""), value: m.ref };
    });
}

/**
 * The base `ref` names in `space`: an InputError ("unknown-model", "model-unusable") listing the
 * choices when it names nothing usable. Nothing is loaded: the worker loads the weights.
 */
export async function resolveTrainingBase(deps: CatalogueDeps, space: string, ref: string): Promise<TrainingBase> {
  const list = await listModels(deps, space);
  const model = resolveRef(list, ref);
  if (!model.usable || model.config === null)
    throw new InputError(`${model.ref} cannot be fine-tuned: ${model.reason ?? "its shape is unknown"}`, "model-unusable", {
      ref: model.ref,
      reason: model.reason ?? "its shape is unknown",
    });
  const name = model.identity.displayName;
  if (model.source === "stored") {
    const stored = await deps.store.models.get(space, Number(model.identity.id));
    if (!stored) throw new InputError(`there is no model "${model.ref}" here`, "unknown-model", { ref: model.ref, choices: "" });
    return { ref: model.ref, name, config: model.config, checkpoint: stored.checkpoint };
  }
  if (model.source === "imported") {
    const dir = deps.registry.modelsDir;
    const file = dir === undefined ? undefined : resolveImportPath(dir, model.ref);
    if (file === undefined)
      throw new InputError(`${model.ref} cannot be fine-tuned: its file is gone from the models folder`, "model-unusable", {
        ref: model.ref,
        reason: "its file is gone from the models folder",
      });
    return { ref: model.ref, name: model.ref, config: model.config, initFrom: file };
  }
  return { ref: model.ref, name, config: model.config, initFrom: deps.registry.defaultModelPath };
}

/**
 * The base of a run to resume, when it was a fine-tuning: the run's record names it, and its
 * checkpoint holds the shape, weights and tokenizer (the base itself is not loaded again).
 */
export function resumedBase(runOptions: unknown, checkpoint: Uint8Array): TrainingBase | undefined {
  const base = (runOptions as { base?: { ref?: unknown; name?: unknown } } | null)?.base;
  if (typeof base?.name !== "string") return undefined;
  const { config } = loadCheckpointBytes(checkpoint, "the checkpoint to resume");
  return { ref: typeof base.ref === "string" ? base.ref : base.name, name: base.name, config };
}
