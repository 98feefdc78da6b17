/**
 * Which shipped model an hour of `npm run train:default` should train: candidates of size,
 * context, batch and learning rate, compared at the same budget of this machine's time.
 *
 *   npx tsx scripts/default-sweep.ts time                     ms per step of every candidate (quiet machine)
 *   npx tsx scripts/default-sweep.ts run NAME --minutes M     trains NAME for M minutes' worth of steps
 *                                                             (from `time`'s figure, so the result does not
 *                                                             depend on the machine's load), then prints its
 *                                                             validation bits per byte; --steps N instead
 *
 *   1. the corpus and its split are train:default's: data/corpus, charbpe 4096 (or the candidate's
 *      vocabulary), seed 1, documents shuffled, 90/10;
 *   2. the schedule is the trainer's: warmup, then cosine from maxLr to maxLr / 10;
 *   3. the measure is the validation split's bits per byte over every window (loss × tokens ÷
 *      (bytes × ln 2)), so vocabularies compare; eval/heldout/ is not read (it is the final measure).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { corpusSplit, buildTokenizer } from "../src/app/train-model.ts";
import { readCorpus, splitDocuments } from "../src/app/corpus.ts";
import { trainingKernels } from "../src/app/kernels.ts";
import { type GPTConfig, validateConfig } from "../src/model/config.ts";
import { GPT } from "../src/model/gpt.ts";
import { seededRandom } from "../src/tensor/random.ts";
import { DEFAULT_TRAIN, evaluateAllWindows, train } from "../src/train/trainer.ts";
import type { Tokenizer } from "../src/tokenizer/tokenizer.ts";

interface Candidate {
  shape: Omit<GPTConfig, "vocabSize">;
  batch: number;
  maxLr: number;
  vocab: number;
}

const baby = { blockSize: 64, nLayer: 4, nHead: 4, nEmbd: 128, bias: false };
const CANDIDATES: Record<string, Candidate> = {
  baby: { shape: baby, batch: 12, maxLr: 1e-3, vocab: 4096 },
  "baby-lr2": { shape: baby, batch: 12, maxLr: 2e-3, vocab: 4096 },
  "baby-ctx128": { shape: { ...baby, blockSize: 128 }, batch: 12, maxLr: 1e-3, vocab: 4096 },
  "ctx128-lr2": { shape: { ...baby, blockSize: 128 }, batch: 12, maxLr: 2e-3, vocab: 4096 },
  wide192: { shape: { ...baby, nEmbd: 192, nHead: 6 }, batch: 12, maxLr: 1e-3, vocab: 4096 },
  deep6: { shape: { ...baby, nLayer: 6 }, batch: 12, maxLr: 1e-3, vocab: 4096 },
  wide256: { shape: { ...baby, nEmbd: 256, nHead: 8 }, batch: 12, maxLr: 1e-3, vocab: 4096 },
  small: { shape: { blockSize: 256, nLayer: 6, nHead: 6, nEmbd: 384, bias: false }, batch: 8, maxLr: 1e-3, vocab: 4096 },
};
/** `time` writes its figures here for `run` (out/ is not committed) */
const TIMES_FILE = "out/default-sweep-times.json";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { minutes: { type: "string" }, steps: { type: "string" }, "eval-interval": { type: "string" } },
});
const [verb, name] = positionals;

const documents = splitDocuments(readCorpus("data/corpus"));
const tokenizers = new Map<number, Tokenizer>();
function tokenizerOf(vocab: number): Tokenizer {
  const known = tokenizers.get(vocab);
  if (known) return known;
  const built = buildTokenizer("charbpe", documents.join("\n"), vocab);
  tokenizers.set(vocab, built);
  return built;
}

function modelOf(c: Candidate) {
  const tokenizer = tokenizerOf(c.vocab);
  const config = validateConfig({ ...c.shape, vocabSize: tokenizer.vocabSize });
  const model = new GPT(config, { kernels: trainingKernels() }).init(seededRandom(1));
  return { tokenizer, config, model };
}

/** bits per byte of the whole validation split, every window of the candidate's block */
function valBitsPerByte(model: GPT, tokenizer: Tokenizer, val: Int32Array, B: number, T: number): number {
  const windows = Math.floor((val.length - 1) / T);
  const loss = evaluateAllWindows(model, val, B, T);
  // the bytes the scored targets span: tokens 1 … windows·T of the split
  const bytes = Buffer.byteLength(tokenizer.decode(Array.from(val.subarray(1, windows * T + 1))), "utf8");
  return (loss * windows * T) / (bytes * Math.LN2);
}

if (verb === "time") {
  const times: Record<string, number> = {};
  for (const [n, c] of Object.entries(CANDIDATES)) {
    const { tokenizer, model } = modelOf(c);
    const { split } = corpusSplit(documents, 1, tokenizer);
    const run = (steps: number) => {
      const t0 = performance.now();
      train(model, split, { ...DEFAULT_TRAIN, batchSize: c.batch, blockSize: c.shape.blockSize, steps, evalInterval: 1e9, seed: 1 });
      return performance.now() - t0;
    };
    run(20); // warm: a fresh model's first steps are slower
    const steps = n === "small" ? 10 : 60;
    times[n] = run(steps) / steps;
    console.log(
      `${n}: ${model.params.length.toLocaleString("en")} parameters, ${times[n].toFixed(1)} ms per step (B ${c.batch} × T ${c.shape.blockSize})`,
    );
  }
  mkdirSync("out", { recursive: true });
  writeFileSync(TIMES_FILE, JSON.stringify(times, null, 1));
} else if (verb === "run" && name && CANDIDATES[name]) {
  const c = CANDIDATES[name];
  const times = existsSync(TIMES_FILE) ? (JSON.parse(readFileSync(TIMES_FILE, "utf8")) as Record<string, number>) : {};
  const steps = values.steps ? Number(values.steps) : Math.round((Number(values.minutes) * 60_000) / (times[name] ?? NaN));
  if (!Number.isFinite(steps) || steps < 1)
    throw new Error(`give --steps N, or run \`time\` first and give --minutes M (got steps ${steps})`);
  const { tokenizer, model } = modelOf(c);
  const { split } = corpusSplit(documents, 1, tokenizer);
  const evalInterval = Number(values["eval-interval"] ?? Math.max(100, Math.round(steps / 8)));
  const t0 = Date.now();
  let best = { bpb: Infinity, step: 0 };
  const schedule = { maxLr: c.maxLr, minLr: c.maxLr / 10, warmupSteps: Math.min(100, Math.floor(steps / 10)) };
  train(
    model,
    split,
    { ...DEFAULT_TRAIN, ...schedule, batchSize: c.batch, blockSize: c.shape.blockSize, steps, evalInterval, seed: 1 },
    {
      onEval: (p) => {
        if (p.valLoss === null) return;
        const bpb = valBitsPerByte(model, tokenizer, split.val, 16, c.shape.blockSize);
        if (bpb < best.bpb) best = { bpb, step: p.step };
        console.log(
          `${name} step ${p.step}/${steps}: val ${p.valLoss.toFixed(3)} (few batches), whole val split ${bpb.toFixed(4)} bits per byte — ${((Date.now() - t0) / 60000).toFixed(1)} min`,
        );
      },
    },
  );
  console.log(`RESULT ${name} steps ${steps} best ${best.bpb.toFixed(4)} bpb at step ${best.step}`);
} else {
  console.log(`usage: default-sweep.ts time | run NAME (--minutes M | --steps N); NAME one of ${Object.keys(CANDIDATES).join(", ")}`);
  process.exit(2);
}
