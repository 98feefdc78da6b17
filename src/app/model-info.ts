/** `info` and `/model`: what a model is, in numbers. */
import { countParamsByGroup } from "../model/params.ts";
import type { GPTConfig } from "../model/config.ts";
import type { LossPoint } from "../train/trainer.ts";
import type { ModelHandle } from "./model-handle.ts";

export interface ModelInfo {
  name: string;
  config: GPTConfig;
  params: ReturnType<typeof countParamsByGroup>;
  tokenizer: { kind: string; vocabSize: number };
  preset: string | null;
  step: number;
  valLoss: number | null;
  trainLoss: number | null;
  createdAt: string | null;
  trainSeconds: number | null;
  tokensSeen: number | null;
  /** the loss curve of the training that made it (may be empty for imported checkpoints) */
  curve: LossPoint[];
  totalSteps: number | null;
}

export function modelInfo(handle: ModelHandle): ModelInfo {
  const meta = handle.meta;
  const extra = (meta.extra ?? {}) as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  return {
    name: handle.name,
    config: handle.model.config,
    params: countParamsByGroup(handle.model.config),
    tokenizer: { kind: handle.tokenizer.kind, vocabSize: handle.tokenizer.vocabSize },
    preset: meta.preset ?? null,
    step: meta.step,
    valLoss: meta.valLoss ?? null,
    trainLoss: meta.trainLoss ?? null,
    createdAt: meta.createdAt ?? null,
    trainSeconds: num(extra.trainSeconds),
    tokensSeen: num(extra.tokensSeen),
    curve: Array.isArray(extra.curve) ? (extra.curve as LossPoint[]) : [],
    totalSteps: num(extra.totalSteps),
  };
}
