/**
 * Bits per byte of models and compressors on the held-out texts (eval/heldout/, see
 * data/corpus/SOURCES.md), and the share of tokens that are partial characters
 * (byte-fallback pieces, or byte-BPE tokens that are not whole characters).
 *
 *   npx tsx scripts/heldout-eval.ts [MODEL.safetensors …]   (default: data/default-model.safetensors)
 *   npx tsx scripts/heldout-eval.ts --record [MODEL]        also writes eval/heldout/results.json
 *                                                           (the figures /explain bits-per-byte quotes)
 *
 *   1. every .txt under eval/heldout/<group>/ is one text;
 *   2. gzip -9 and xz -9e: compressed bytes × 8 / bytes;
 *   3. each model: evaluateText (src/app/evaluate-text.ts), and its partial-token share.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { evaluateText } from "../src/app/evaluate-text.ts";
import { fastestKernels } from "../src/app/kernels.ts";
import { DEFAULT_MODEL_PATH, loadModelFile } from "../src/app/load-model.ts";
import { partialCharacterShare } from "../src/tokenizer/pieces.ts";
import { HELDOUT_RECORD_PATH, type HeldOutFigure, type HeldOutRecord, paramsFingerprint } from "../src/app/heldout-record.ts";

/** What each held-out text is, for /explain (the files are described in data/corpus/SOURCES.md). */
const TITLES: Record<string, string> = {
  "en/debian-reference-08.txt": "Debian Reference, ch. 8",
  "ja/debian-reference-08.txt": "Debian Reference 第8章",
  "en-general/fortunes-literature.txt": "fortunes: literature",
  "en-general/fortunes-wisdom.txt": "fortunes: wisdom",
};

const ROOT = path.resolve(import.meta.dirname, "..");
const HELD_OUT = path.join(ROOT, "eval/heldout");

const files = readdirSync(HELD_OUT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()
  .flatMap((group) =>
    readdirSync(path.join(HELD_OUT, group))
      .filter((f) => f.endsWith(".txt"))
      .sort()
      .map((f) => path.join(group, f)),
  );
const args = process.argv.slice(2);
const record = args.includes("--record");
const paths = args.filter((a) => a !== "--record");
const models = paths.length > 0 ? paths : [DEFAULT_MODEL_PATH];
if (record && models.length !== 1) throw new Error(`--record measures one model, got ${models.length}`);
const recorded: HeldOutFigure[] = [];
const handles = await Promise.all(models.map((m) => loadModelFile(m, path.basename(m), fastestKernels())));

const header = ["text", "bytes", "gzip", "xz", ...handles.flatMap((h) => [`${h.name} bpb`, "partial %"])];
console.log(`| ${header.join(" | ")} |`);
console.log(`|${header.map(() => "---").join("|")}|`);
for (const file of files) {
  const text = readFileSync(path.join(HELD_OUT, file), "utf8");
  const bytes = Buffer.byteLength(text);
  const gzip = (gzipSync(text, { level: 9 }).length * 8) / bytes;
  const xz = (execFileSync("xz", ["-9e", "-c"], { input: text, maxBuffer: 1 << 26 }).length * 8) / bytes;
  const cells = [file, String(bytes), gzip.toFixed(3), xz.toFixed(3)];
  for (const handle of handles) {
    const e = evaluateText(handle, text);
    recorded.push({ file, lang: file.startsWith("ja") ? "ja" : "en", title: TITLES[file] ?? file, ...e, gzip, xz });
    const share = partialCharacterShare(handle.tokenizer, handle.tokenizer.encode(text).ids);
    cells.push(e.bitsPerByte.toFixed(3), (share * 100).toFixed(2));
  }
  console.log(`| ${cells.join(" | ")} |`);
}
if (record) {
  const out: HeldOutRecord = {
    version: 1,
    paramsSha256: paramsFingerprint(handles[0].model.params as Float32Array),
    model: path.relative(ROOT, models[0]),
    texts: recorded,
  };
  writeFileSync(HELDOUT_RECORD_PATH, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`wrote ${path.relative(ROOT, HELDOUT_RECORD_PATH)}`);
}
