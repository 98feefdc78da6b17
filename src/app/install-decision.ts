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
import type { ModelInfo } from "../store/index.ts";

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
