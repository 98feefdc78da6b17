/**
 * Installing a finished training's checkpoint from a worker: the registry's decision
 * (install-decision.ts installPlan: the same rules, the same choice written with the model),
 * over the AsyncStore. The bot's registry reads the store on every use, so the model is picked
 * up there; CHANNELS.installed tells it at once.
 */
import { loadCheckpointBytes } from "../model/checkpoint.ts";
import { resolveImportPath } from "../app/imported-models.ts";
import { type InstallDecision, installPlan, modelInUse } from "../app/install-decision.ts";
import { handleFromCheckpoint } from "../app/model-handle.ts";
import type { AsyncStore } from "../store/async-store.ts";
import type { ModelInfo } from "../store/index.ts";

export interface RemoteInstallOptions {
  runId: number;
  /** as the bot's registry: "ask" (the bot's) or "switch" */
  policy: "ask" | "switch";
  /** the bots' MODELS_DIR, to see whether a chosen imported model's file is there (as the bot's registry does) */
  modelsDir?: string;
}

/** Checks and loads the checkpoint completely, decides, stores it with its choice. Throws (changing nothing) when it does not load. */
export async function installFromWorker(
  models: AsyncStore["models"],
  guildId: string,
  bytes: Uint8Array,
  o: RemoteInstallOptions,
): Promise<{ info: ModelInfo; decision: InstallDecision }> {
  const checkpoint = loadCheckpointBytes(bytes, `new model for guild ${guildId}`);
  handleFromCheckpoint(checkpoint, "");
  const inUse = modelInUse(await models.chosen(guildId), await models.list(guildId), {
    stored: () => true,
    importedFile: (name) => (o.modelsDir === undefined ? undefined : resolveImportPath(o.modelsDir, name)),
  });
  const plan = installPlan(guildId, bytes, checkpoint, inUse, o.policy, o.runId);
  const info = await models.add(plan.model, plan.choice);
  return { info, decision: plan.decision };
}
