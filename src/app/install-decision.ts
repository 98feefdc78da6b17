/**
 * Whether a freshly trained model takes over from the model in use, or waits to be chosen.
 *
 * A validation loss is the mean cross-entropy per token of held-out text; two losses say which
 * model predicts better only when they were measured the same way. The one comparison allowed
 * here: the model in use was also trained in this space, on this space's data, and both losses
 * are known. Then the new model takes over when its loss is not worse. In every other case (the
 * shipped model or an imported one answers: other text, other tokenizer; a loss unknown) the new
 * model is stored but not chosen: the surfaces ask before switching, and nothing switches silently.
 */
import type { LoadedCheckpoint } from "../model/checkpoint.ts";
import type { ModelInfo, NewModel } from "../store/index.ts";
import type { ModelChoice } from "../store/models.ts";

/** The model answering in a space, as the store says (see ModelRegistry.inUse). */
export type ModelInUse = { kind: "shipped" } | { kind: "stored"; info: ModelInfo } | { kind: "imported"; name: string; path: string };

export type InstallReason =
  /** the new model's val loss is lower than (or equal to) the model in use's */
  | "better"
  /** higher than the model in use's */
  | "worse"
  /** the model in use is the shipped or an imported one: its loss was measured on other text */
  | "not-comparable"
  /** the new model's val loss, or the one in use's, is not known */
  | "unknown-loss";

export interface InstallDecision {
  /** the new model answers from now on */
  switched: boolean;
  reason: InstallReason;
  /** the new model's val loss */
  valLoss: number | null;
  /** the model that answered before the installation (it still answers when not switched) */
  previous: ModelInUse;
  /** its val loss (null: unknown, or not comparable) */
  previousValLoss: number | null;
}

export function decideInstall(valLoss: number | null, inUse: ModelInUse): InstallDecision {
  const decided = (switched: boolean, reason: InstallReason, previousValLoss: number | null): InstallDecision => ({
    switched,
    reason,
    valLoss,
    previous: inUse,
    previousValLoss,
  });
  if (inUse.kind !== "stored") return decided(false, "not-comparable", null);
  const before = inUse.info.valLoss;
  if (valLoss === null || !Number.isFinite(valLoss) || before === null || !Number.isFinite(before))
    return decided(false, "unknown-loss", before);
  return valLoss <= before ? decided(true, "better", before) : decided(false, "worse", before);
}

/** What the registry knows beyond the store: which stored models load, which imported names have a usable file. */
export interface Usable {
  stored(id: number): boolean;
  /** the file of an imported model, or undefined when it cannot be used (no folder, no file, failed before) */
  importedFile(name: string): string | undefined;
}

/**
 * Which model answers in a space, from its choice and its stored models (newest first): its
 * choice when that still names something usable, else its latest usable stored model, else the
 * shipped one.
 */
export function modelInUse(choice: ModelChoice | undefined, stored: readonly ModelInfo[], usable: Usable): ModelInUse {
  if (choice?.kind === "shipped") return { kind: "shipped" };
  if (choice?.kind === "imported") {
    const file = usable.importedFile(choice.name);
    if (file !== undefined) return { kind: "imported", name: choice.name, path: file };
  }
  if (choice?.kind === "stored") {
    const info = stored.find((m) => m.id === choice.modelId);
    if (info && usable.stored(info.id)) return { kind: "stored", info };
  }
  const latest = stored.find((m) => usable.stored(m.id));
  return latest ? { kind: "stored", info: latest } : { kind: "shipped" };
}

/**
 * Installing a checked checkpoint of the space: the decision (policy "switch" always takes
 * over), the model row to store, and the choice to write with it (null: none, the new model
 * answers as the latest; else the model in use, written down so the new one does not take over).
 */
export function installPlan(
  guildId: string,
  bytes: Uint8Array,
  checkpoint: LoadedCheckpoint,
  inUse: ModelInUse,
  policy: "ask" | "switch",
  runId: number | null,
): { decision: InstallDecision; model: NewModel; choice: ModelChoice | null } {
  const decided = decideInstall(checkpoint.meta.valLoss ?? null, inUse);
  const decision = policy === "switch" ? { ...decided, switched: true } : decided;
  const keep: ModelChoice =
    inUse.kind === "shipped"
      ? { kind: "shipped" }
      : inUse.kind === "imported"
        ? { kind: "imported", name: inUse.name }
        : { kind: "stored", modelId: inUse.info.id };
  const model: NewModel = {
    guildId,
    checkpoint: bytes,
    config: checkpoint.config,
    step: checkpoint.meta.step,
    valLoss: checkpoint.meta.valLoss ?? null,
    trainLoss: checkpoint.meta.trainLoss ?? null,
    runId,
  };
  return { decision, model, choice: decision.switched ? null : keep };
}
