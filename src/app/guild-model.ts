/**
 * `/model`: which model answers in a guild and how it was trained — its own trained model or
 * the default — with the loss curve of the training that made it. A guild model's curve comes
 * from its run's points in the store (every report of the live training, kept across
 * restarts); otherwise from the curve the checkpoint itself records.
 */
import type { AsyncStore } from "../store/async-store.ts";
import type { ModelInfo as StoredModelInfo } from "../store/index.ts";
import type { LossPoint } from "../train/trainer.ts";
import type { ModelHandle } from "./model-handle.ts";
import { modelInfo, type ModelInfo } from "./model-info.ts";
import type { ModelRegistry } from "./model-registry.ts";
import { identityOf, isStoredModel } from "./model-identity.ts";

export interface GuildModelReport {
  handle: ModelHandle;
  info: ModelInfo;
  /** the guild's own trained model (else the default model) */
  own: boolean;
  /** the stored row of the guild's model */
  stored: StoredModelInfo | null;
  /** the curve to draw, and where it came from */
  curve: LossPoint[];
  curveSource: "run" | "checkpoint" | "none";
  /** when the model was made (ms since the epoch), if known */
  createdAt: number | null;
  /** the run that trained it: how many messages it read */
  corpusMessages: number | null;
}

export async function guildModelReport(
  registry: ModelRegistry,
  store: Pick<AsyncStore, "models" | "runs">,
  guildId: string | null,
): Promise<GuildModelReport> {
  const handle = await registry.forGuild(guildId);
  const info = modelInfo(handle);
  // the stored row of the model answering (the space's choice, or its latest): the one the handle's identity names
  const identity = identityOf(handle);
  const stored =
    guildId && (identity.kind === "server" || identity.kind === "trained-here")
      ? ((await store.models.list(guildId)).find((m) => String(m.id) === identity.id) ?? null)
      : null;
  const own = stored !== null && isStoredModel(identity, stored.id);

  let curve: LossPoint[] = [];
  let curveSource: GuildModelReport["curveSource"] = "none";
  let corpusMessages: number | null = null;
  if (own && stored!.runId !== null) {
    curve = (await store.runs.points(guildId!, stored!.runId)).filter((p) => p.step <= stored!.step);
    if (curve.length > 0) curveSource = "run";
    const options = (await store.runs.get(guildId!, stored!.runId))?.options as { messages?: unknown } | undefined;
    if (typeof options?.messages === "number") corpusMessages = options.messages;
  }
  if (curve.length === 0 && info.curve.length > 0) {
    curve = info.curve;
    curveSource = "checkpoint";
  }
  const fromMeta = info.createdAt === null ? NaN : Date.parse(info.createdAt);
  const createdAt = own ? stored!.createdAt : Number.isFinite(fromMeta) ? fromMeta : null;
  return { handle, info: { ...info, curve }, own, stored: own ? stored : null, curve, curveSource, createdAt, corpusMessages };
}
