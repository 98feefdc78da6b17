/**
 * Checkpoint files on disk: atomic saves (write, fsync, rename, fsync the folder) and loads
 * whose errors name the path. The bytes themselves are src/model/checkpoint.ts's business.
 */
import { open, readFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { GPTConfig } from "../model/config.ts";
import { type CheckpointMeta, type LoadedCheckpoint, loadCheckpointBytes, saveCheckpointBytes } from "../model/checkpoint.ts";

/** Saves atomically: a reader sees the old file or the new one, never half of one. */
export async function saveCheckpoint(path: string, config: GPTConfig, params: Float32Array, meta: CheckpointMeta): Promise<void> {
  // encode first: a bad model never touches the disk
  await writeFileAtomic(path, saveCheckpointBytes(config, params, meta));
}

/**
 * Writes bytes so that a crash leaves either the old file or the new one:
 *   1. write a temporary file beside the target and flush it to the disk
 *   2. rename it over the target (atomic on POSIX file systems)
 *   3. flush the folder so the rename itself survives a crash
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    const handle = await open(tmp, "w");
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new Error(`${path}: cannot save checkpoint: ${(err as Error).message}`, { cause: err });
  }
  await syncDirectory(dirname(path));
}

async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // e.g. Windows cannot open a directory; the file itself is already flushed
  }
}

/** Reads and checks a checkpoint file; errors name the path. */
export async function loadCheckpoint(path: string): Promise<LoadedCheckpoint> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new Error(`checkpoint file not found: ${path}`, { cause: err });
    throw new Error(`${path}: cannot read checkpoint: ${(err as Error).message}`, { cause: err });
  }
  return loadCheckpointBytes(bytes, path);
}
