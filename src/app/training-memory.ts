/**
 * The memory a training needs, counted before it starts, so a run that cannot fit is refused
 * with the figures instead of dying halfway (P parameters, a B × T batch, 4 bytes a number):
 *
 *   in the kernels' memory (WebAssembly's, which holds at most 4 GiB):
 *     1. the parameters, their gradients, AdamW's two moments        4 · P
 *     2. the activations of a pass and their gradients               2 · activationSize(B, T)
 *   beside it, in the process:
 *     3. the kept best weights, the base's weights as loaded, one checkpoint's bytes   3 · P
 */
import { freemem } from "node:os";
import { activationSize } from "../model/activations.ts";
import type { GPTConfig } from "../model/config.ts";
import { countParams } from "../model/params.ts";

const FLOAT_BYTES = 4;
/** WebAssembly's 32-bit memory: 65,536 pages of 64 KiB */
export const KERNEL_MEMORY_LIMIT = 4 * 2 ** 30;

export interface TrainingMemory {
  parameters: number;
  /** bytes in the kernels' memory (1 + 2) */
  kernelBytes: number;
  /** bytes in all (1 + 2 + 3) */
  totalBytes: number;
}

export function trainingMemory(config: GPTConfig, B: number, T: number): TrainingMemory {
  const P = countParams(config);
  const kernelBytes = FLOAT_BYTES * (4 * P + 2 * activationSize(config, B, T));
  return { parameters: P, kernelBytes, totalBytes: kernelBytes + FLOAT_BYTES * 3 * P };
}

/** Too much memory asked: the figures travel with the error (across the worker too). */
export interface MemoryTooSmall {
  parameters: number;
  batch: number;
  context: number;
  neededBytes: number;
  availableBytes: number;
  /** which limit: the kernels' 4 GiB, or what the machine has free */
  limit: "kernel-memory" | "machine";
}

export class MemoryTooSmallError extends Error {
  constructor(readonly counts: MemoryTooSmall) {
    const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
    const where = counts.limit === "kernel-memory" ? "the kernels' WebAssembly memory holds at most" : "this machine has free";
    super(
      `training ${counts.parameters.toLocaleString("en-US")} parameters at a batch of ${counts.batch} × ${counts.context} tokens needs ${gib(counts.neededBytes)}; ${where} ${gib(counts.availableBytes)}: use a smaller batch or context`,
    );
  }
}

/** The machine's memory an allocation may still use: the free memory, within a container's limit. */
export function availableMemory(): number {
  const constrained = typeof process.constrainedMemory === "function" ? (process.constrainedMemory() ?? 0) : 0;
  const free = freemem();
  return constrained > 0 ? Math.min(free, constrained) : free;
}

/**
 * Throws MemoryTooSmallError when a B × T training of `config` cannot fit: in the kernels'
 * WebAssembly memory (`inKernelMemory`: the kernels allocate there), or in the machine's.
 */
export function checkTrainingMemory(
  config: GPTConfig,
  B: number,
  T: number,
  inKernelMemory: boolean,
  available = availableMemory(),
): TrainingMemory {
  const need = trainingMemory(config, B, T);
  const counts = { parameters: need.parameters, batch: B, context: T };
  if (inKernelMemory && need.kernelBytes > KERNEL_MEMORY_LIMIT)
    throw new MemoryTooSmallError({
      ...counts,
      neededBytes: need.kernelBytes,
      availableBytes: KERNEL_MEMORY_LIMIT,
      limit: "kernel-memory",
    });
  if (need.totalBytes > available)
    throw new MemoryTooSmallError({ ...counts, neededBytes: need.totalBytes, availableBytes: available, limit: "machine" });
  return need;
}
