/**
 * The held-out figures recorded for a model (eval/heldout/results.json, written by
 * `npx tsx scripts/heldout-eval.ts --record`): its bits per byte on each held-out text, next to
 * gzip's and xz's. Measuring them takes minutes on a small CPU, so /explain reads them instead,
 * and only for the model they were measured on: the record names the SHA-256 of the model's
 * parameters (little-endian float32 bytes), and a model whose parameters differ gets none.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Lang } from "../lang.ts";
import type { ModelHandle } from "./model-handle.ts";

export const HELDOUT_RECORD_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../eval/heldout/results.json");

export interface HeldOutFigure {
  /** the text's path under eval/heldout/, e.g. "ja/debian-reference-08.txt" */
  file: string;
  lang: Lang;
  /** what the text is, for people: "Debian Reference, ch. 8" */
  title: string;
  bytes: number;
  tokens: number;
  lossPerToken: number;
  bitsPerByte: number;
  gzip: number;
  xz: number;
}

export interface HeldOutRecord {
  version: 1;
  /** SHA-256 (hex) of the parameters the figures were measured with */
  paramsSha256: string;
  model: string;
  texts: HeldOutFigure[];
}

/** SHA-256 of a model's parameters as little-endian float32 bytes (hex). */
export function paramsFingerprint(params: Float32Array): string {
  const bytes = new Uint8Array(params.buffer, params.byteOffset, params.byteLength);
  return createHash("sha256").update(bytes).digest("hex");
}

const fingerprints = new WeakMap<Float32Array, string>();
let cached: { file: string; record: HeldOutRecord | null } | null = null;

/** Reads and checks a record file; null when it is absent. Throws naming what is wrong. */
export function readHeldOutRecord(file = HELDOUT_RECORD_PATH): HeldOutRecord | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return null;
  }
  const record = JSON.parse(text) as HeldOutRecord;
  if (record?.version !== 1 || typeof record.paramsSha256 !== "string" || !Array.isArray(record.texts)) {
    throw new Error(`${file} is not a held-out record of version 1 (paramsSha256, texts)`);
  }
  for (const t of record.texts) {
    const numbers = [t.bytes, t.tokens, t.lossPerToken, t.bitsPerByte, t.gzip, t.xz];
    if (!numbers.every((n) => typeof n === "number" && Number.isFinite(n)) || (t.lang !== "ja" && t.lang !== "en")) {
      throw new Error(
        `${file}: the entry for ${JSON.stringify(t.file)} needs lang ja|en and finite bytes, tokens, lossPerToken, bitsPerByte, gzip, xz`,
      );
    }
  }
  return record;
}

/** The recorded figures of this model (null: none recorded for these parameters). */
export function heldOutFiguresOf(handle: ModelHandle, file = HELDOUT_RECORD_PATH): HeldOutFigure[] | null {
  if (cached === null || cached.file !== file) cached = { file, record: readHeldOutRecord(file) };
  const record = cached.record;
  if (record === null) return null;
  const params = handle.model.params as Float32Array;
  let fingerprint = fingerprints.get(params);
  if (fingerprint === undefined) {
    fingerprint = paramsFingerprint(params);
    fingerprints.set(params, fingerprint);
  }
  return fingerprint === record.paramsSha256 ? record.texts : null;
}
