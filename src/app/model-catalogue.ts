/**
 * Models as things a user can see and choose, for every surface: the models a space (a guild
 * id, or "local" for the playground) may use, which one answers there, and using, renaming and
 * deleting them.
 *
 *   shipped     the model shipped with the bot           ref "default"; cannot be renamed or deleted
 *   stored      the space's own trained models           ref "#3" (or "3", or the name a user gave it)
 *   imported    the host's models in MODELS_DIR          ref its folder or file name ("gpt2"); the host
 *                                                         adds and removes them, not the users
 *
 * Refusals are InputErrors naming the value and the choices, and change nothing.
 */
import { countParams } from "../model/params.ts";
import type { GPTConfig } from "../model/config.ts";
import type { AsyncStore } from "../store/async-store.ts";
import type { ModelChoice, ModelInfo } from "../store/index.ts";
import { type ImportedEntry, scanImportedModels } from "./imported-models.ts";
import type { ModelHandle } from "./model-handle.ts";
import { importedModel, type ModelIdentity, SHIPPED_MODEL, storedModel } from "./model-identity.ts";
import type { ModelRegistry } from "./model-registry.ts";
import type { ModelInUse } from "./install-decision.ts";
import { inputErrorMessage } from "./input-messages.ts";
import { InputError } from "./prompt.ts";

import { MAX_MODEL_NAME } from "./catalogue/commands.ts";

export { MAX_MODEL_NAME };
export const SHIPPED_REF = "default";

export type CatalogueSource = "shipped" | "stored" | "imported";

export interface CatalogueModel {
  /** what a user types to name it: "default", "#3", "gpt2" */
  ref: string;
  source: CatalogueSource;
  identity: ModelIdentity;
  /** the name a user gave it (stored models only) */
  userName: string | null;
  /** answering in this space now */
  inUse: boolean;
  /** false: listed, but it cannot be loaded (reason says why) */
  usable: boolean;
  reason: string | null;
  /** "this project's checkpoint", "Hugging Face GPT-2", "nanoGPT ckpt.pt", … */
  format: string | null;
  config: GPTConfig | null;
  parameters: number | null;
  step: number | null;
  valLoss: number | null;
  /** when it was made (stored: trained; imported: the file's time; shipped: its checkpoint's date), ms since the epoch */
  createdAt: number | null;
  /** the training run that made it (stored models) */
  runId: number | null;
  /** the run's preset, when the store says */
  preset: string | null;
}

export interface ModelList {
  space: string;
  models: CatalogueModel[];
  /** the ref of the model answering now */
  inUse: string;
}

export interface CatalogueDeps {
  registry: ModelRegistry;
  store: Pick<AsyncStore, "models" | "runs">;
}

/** Every model the space may use: the shipped one, its own (newest first), then the host's imported ones. */
export async function listModels(deps: CatalogueDeps, space: string): Promise<ModelList> {
  const { registry, store } = deps;
  const inUse = await registry.inUse(space);
  const inUseRef = refOfInUse(inUse);
  const models: CatalogueModel[] = [await shippedEntry(registry)];
  for (const info of await store.models.list(space)) models.push(await storedEntry(space, info, store));
  if (registry.modelsDir !== undefined)
    for (const entry of scanImportedModels(registry.modelsDir, registry.importOptions)) models.push(importedEntry(entry));
  for (const m of models) m.inUse = m.ref === inUseRef;
  return { space, models, inUse: inUseRef };
}

/** The space answers with the model `ref` names from now on (it is loaded first: one that cannot load is refused). */
export async function useModel(
  deps: CatalogueDeps,
  space: string,
  ref: string,
): Promise<{ model: CatalogueModel; previous: CatalogueModel | null }> {
  const list = await listModels(deps, space);
  const model = resolveRef(list, ref);
  if (!model.usable)
    throw modelError("model-unusable", `${model.ref} cannot be used: ${model.reason}`, { ref: model.ref, reason: model.reason });
  const previous = list.models.find((m) => m.inUse) ?? null;
  let handle: ModelHandle;
  try {
    handle = await deps.registry.choose(space, choiceOf(model));
  } catch (err) {
    throw modelError("model-unusable", `${model.ref} cannot be used: ${(err as Error).message}`, {
      ref: model.ref,
      reason: (err as Error).message,
    });
  }
  return { model: { ...model, inUse: true, identity: handle.identity ?? model.identity }, previous };
}

/** Gives one of the space's stored models a name (the shipped and imported models keep theirs). */
export async function renameModel(deps: CatalogueDeps, space: string, ref: string, name: string): Promise<CatalogueModel> {
  const list = await listModels(deps, space);
  const model = resolveRef(list, ref);
  if (model.source === "shipped")
    throw modelError("model-not-renamable", "the shipped model cannot be renamed", { ref: model.ref, source: model.source });
  if (model.source === "imported")
    throw modelError(
      "model-not-renamable",
      `${model.ref} is one of the host's imported models: it is named by its file in the models folder, and cannot be renamed here`,
      { ref: model.ref, source: model.source },
    );
  const checked = checkModelName(name, list, model);
  await deps.store.models.rename(space, Number(model.identity.id), checked);
  return { ...model, userName: checked };
}

/**
 * Deletes one of the space's stored models. When it was the one answering, the space falls
 * back (its choice goes with the model: its latest other trained model, else the shipped one)
 * and the answer says to what.
 */
export async function deleteModel(
  deps: CatalogueDeps,
  space: string,
  ref: string,
): Promise<{ deleted: CatalogueModel; wasInUse: boolean; nowInUse: CatalogueModel }> {
  const list = await listModels(deps, space);
  const model = resolveRef(list, ref);
  if (model.source !== "stored")
    throw modelError(
      "model-not-deletable",
      model.source === "shipped"
        ? "the shipped model cannot be deleted"
        : `${model.ref} is one of the host's imported models: only the host can remove it (from the models folder)`,
      { ref: model.ref, source: model.source },
    );
  await deps.store.models.remove(space, Number(model.identity.id));
  deps.registry.forget(space);
  const after = await listModels(deps, space);
  const nowInUse = after.models.find((m) => m.inUse)!;
  return { deleted: { ...model, inUse: false }, wasInUse: model.inUse, nowInUse };
}

/** The model a ref names; an InputError listing the refs when none (or more than one, by name) does. */
export function resolveRef(list: ModelList, ref: string): CatalogueModel {
  const given = ref.trim();
  const refs = list.models.map((m) => m.ref);
  const unknown = () =>
    modelError("unknown-model", `there is no model "${given}" here; the models are: ${refs.join(", ")}`, {
      ref: given,
      choices: refs.join(", "),
    });
  if (given === "") throw unknown();
  const lower = given.toLowerCase();
  // 1. the shipped model's words, 2. a stored model's number, 3. an exact ref, 4. a user-given name
  if (lower === SHIPPED_REF || lower === "shipped") return list.models[0];
  const number = /^#?(\d+)$/.exec(given);
  if (number) {
    const found = list.models.find((m) => m.source === "stored" && m.identity.id === number[1]);
    if (found) return found;
    throw unknown();
  }
  const exact = list.models.find((m) => m.ref === given);
  if (exact) return exact;
  const named = list.models.filter((m) => m.userName?.toLowerCase() === lower || m.ref.toLowerCase() === lower);
  if (named.length === 1) return named[0];
  if (named.length > 1)
    throw modelError("ambiguous-model", `"${given}" names ${named.map((m) => m.ref).join(" and ")}: use one of those`, {
      ref: given,
      choices: named.map((m) => m.ref).join(", "),
    });
  throw unknown();
}

/**
 * A user-given name, checked: 1–40 characters once trimmed, one line, no mention (@, <…>) that
 * could ping people on Discord, not a word that already names another model here.
 */
export function checkModelName(name: string, list: ModelList, self: CatalogueModel): string {
  const trimmed = name.trim();
  const shown = trimmed.slice(0, 60);
  // each refusal: its code (input-messages.ts says it in both languages) and the values it names
  const refuse = (reason: string, values: Record<string, unknown> = {}) => {
    const v = { name: shown, reason, ...values };
    return new InputError(inputErrorMessage("en", "bad-model-name", v)!, "bad-model-name", v);
  };
  const length = [...trimmed].length;
  if (length === 0) throw refuse("empty");
  if (length > MAX_MODEL_NAME) throw refuse("too-long", { length, max: MAX_MODEL_NAME });
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f\u2028\u2029]/.test(trimmed)) throw refuse("not-one-line");
  if (/[@<>]/.test(trimmed)) throw refuse("mention");
  if (/^#?\d+$/.test(trimmed) || ["default", "shipped"].includes(trimmed.toLowerCase())) throw refuse("reads-as-ref");
  const lower = trimmed.toLowerCase();
  const clash = list.models.find(
    (m) => m !== self && m.ref !== self.ref && (m.ref.toLowerCase() === lower || m.userName?.toLowerCase() === lower),
  );
  if (clash) throw refuse("taken", { other: clash.ref });
  return trimmed;
}

// ---------------------------------------------------------------------------------------------

function refOfInUse(inUse: ModelInUse): string {
  if (inUse.kind === "shipped") return SHIPPED_REF;
  if (inUse.kind === "imported") return inUse.name;
  return `#${inUse.info.id}`;
}

function choiceOf(model: CatalogueModel): ModelChoice {
  if (model.source === "shipped") return { kind: "shipped" };
  if (model.source === "imported") return { kind: "imported", name: model.ref };
  return { kind: "stored", modelId: Number(model.identity.id) };
}

const blank = {
  userName: null,
  inUse: false,
  reason: null,
  runId: null,
  preset: null,
} as const;

async function shippedEntry(registry: ModelRegistry): Promise<CatalogueModel> {
  try {
    const handle = await registry.defaultModel();
    const created = handle.meta.createdAt === undefined ? Number.NaN : Date.parse(handle.meta.createdAt);
    return {
      ...blank,
      ref: SHIPPED_REF,
      source: "shipped",
      identity: SHIPPED_MODEL,
      usable: true,
      format: "this project's checkpoint",
      config: handle.model.config,
      parameters: countParams(handle.model.config),
      step: handle.meta.step,
      valLoss: handle.meta.valLoss ?? null,
      createdAt: Number.isFinite(created) ? created : null,
      preset: handle.meta.preset ?? null,
    };
  } catch (err) {
    return {
      ...blank,
      ref: SHIPPED_REF,
      source: "shipped",
      identity: SHIPPED_MODEL,
      usable: false,
      reason: (err as Error).message,
      format: null,
      config: null,
      parameters: null,
      step: null,
      valLoss: null,
      createdAt: null,
    };
  }
}

async function storedEntry(space: string, info: ModelInfo, store: CatalogueDeps["store"]): Promise<CatalogueModel> {
  const run = info.runId === null ? undefined : await store.runs.get(space, info.runId);
  const preset = (run?.options as { preset?: unknown } | undefined)?.preset;
  return {
    ...blank,
    ref: `#${info.id}`,
    source: "stored",
    identity: storedModel(space, info.id),
    userName: info.name,
    usable: true,
    format: "this project's checkpoint",
    config: info.config,
    parameters: countParams(info.config),
    step: info.step,
    valLoss: info.valLoss,
    createdAt: info.createdAt,
    runId: info.runId,
    preset: typeof preset === "string" ? preset : null,
  };
}

function importedEntry(entry: ImportedEntry): CatalogueModel {
  const base = { ...blank, ref: entry.name, source: "imported" as const, identity: importedModel(entry.path, entry.name) };
  if (!entry.usable)
    return {
      ...base,
      usable: false,
      reason: entry.reason,
      format: null,
      config: null,
      parameters: null,
      step: null,
      valLoss: null,
      createdAt: null,
    };
  return {
    ...base,
    usable: true,
    format: entry.format,
    config: entry.config,
    parameters: entry.parameters,
    step: entry.step,
    valLoss: entry.valLoss,
    createdAt: Math.round(entry.modifiedAt),
  };
}

/** An InputError whose message is the English sentence of its code (input-messages.ts has both languages). */
function modelError(code: string, _english: string, values: Record<string, unknown>): InputError {
  return new InputError(inputErrorMessage("en", code, values) ?? _english, code, values);
}
