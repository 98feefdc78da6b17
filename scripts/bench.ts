/**
 * `npm run bench`: every timing of the project, printed (never asserted), with ratios against
 * the PyTorch reference in ../shared/reference where it runs. Each section prints the machine's
 * load average as it starts (the figures are only as quiet as the machine).
 *   npm run bench                     all sections, in this order
 *   npm run bench -- train            the training step of baby, every kernel set
 *   npm run bench -- small            the small config's training step (nanoGPT's shakespeare_char model), as a ratio to PyTorch
 *   npm run bench -- generate         next-token latency and generation speed (KV cache)
 *   npm run bench -- pictures         the time to draw each picture
 *   npm run bench -- answers [/why]   only the time to answer each "look inside" command (or those whose name starts with the second word) (not in the full run)
 *   npm run bench -- responsiveness   the event-loop delay (goal: p99 < 20 ms) and /predict latency while the bot trains
 *   npm run bench -- memory           the peak RSS of a training of baby, with the model's and optimizer's bytes
 *   npm run bench -- load             200 interactions at once during a two-thread training: acknowledgement/answer p50/p99, heavy queue depth (not in the full run)
 *   npm run bench -- gpt2             GPT-2 small's shapes: load, next token, generation, a 4 × 128 fine-tuning step, beside the reference (not in the full run)
 *   npm run bench -- offthread        the event loop's longest stall during /predict and /generate on GPT-2 small's shapes, passes on the main thread and in the model's host thread (not in the full run)
 *   npm run bench -- profile          where a baby step's time goes, kernel by kernel (not in the full run)
 */
import { cpus, loadavg } from "node:os";
import { referenceKernels } from "../src/tensor/kernels.ts";
import { fastestKernels, trainingKernels } from "../src/app/kernels.ts";
import { benchTrainStep } from "./bench/train-step.ts";
import { benchSmall } from "./bench/small.ts";
import { benchGeneration } from "./bench/generation.ts";
import { benchAnswersOnly, benchPictures } from "./bench/pictures.ts";
import { benchResponsiveness } from "./bench/responsiveness.ts";
import { benchMemory } from "./bench/memory.ts";
import { benchProfile } from "./bench/profile.ts";
import { benchLoad } from "./bench/load.ts";
import { benchGpt2 } from "./bench/gpt2.ts";
import { benchOffthread } from "./bench/offthread.ts";

const SECTIONS = [
  "train",
  "small",
  "generate",
  "pictures",
  "answers",
  "responsiveness",
  "memory",
  "profile",
  "load",
  "gpt2",
  "offthread",
] as const;
const only = process.argv[2];
if (only !== undefined && !(SECTIONS as readonly string[]).includes(only)) {
  console.error(`unknown section "${only}"; the sections are: ${SECTIONS.join(", ")} (none: all of them)`);
  process.exit(2);
}
// the profile is a tool for working on speed, not a figure to compare: only when asked for
const want = (section: (typeof SECTIONS)[number]) =>
  only === section ||
  (only === undefined &&
    section !== "answers" &&
    section !== "profile" &&
    section !== "load" &&
    section !== "gpt2" &&
    section !== "offthread");

console.log(`# bench — node ${process.version}, ${new Date().toISOString()}`);
// what a training uses (both cores when there are two), one core, and the readable reference
const training = trainingKernels();
const kernelSets = [...new Set([training, fastestKernels(), referenceKernels])];
console.log(
  `load average: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")} on ${cpus().length} cores`,
);
if (want("train")) benchTrainStep("baby", kernelSets, 5);
// the TypeScript reference kernels would take minutes per step of small: only the fast ones
if (want("small")) for (const kernels of new Set([training, fastestKernels()])) benchSmall(kernels);
if (want("generate")) benchGeneration(fastestKernels());
if (want("pictures")) await benchPictures();
if (want("answers")) await benchAnswersOnly(process.argv[3]);
if (want("responsiveness")) benchResponsiveness(24);
if (want("memory")) benchMemory(3);
if (want("profile")) benchProfile(training);
if (want("load")) await benchLoad(200);
if (want("gpt2")) await benchGpt2(training);
if (want("offthread")) await benchOffthread();
