/**
 * `npm run bench`: every timing of the project, printed (never asserted), with ratios against
 * the PyTorch reference in ../shared/reference where it runs.
 *   npm run bench                 all sections
 *   npm run bench -- train        only the training-step section of baby
 *   npm run bench -- small        the small config's training step (nanoGPT's shakespeare_char model)
 *   npm run bench -- generate     next-token latency and generation speed (KV cache)
 *   npm run bench -- pictures     the time to draw each picture
 *   npm run bench -- training     while a training runs: event-loop delay, /predict latency, peak memory
 */
import { cpus, loadavg } from "node:os";
import { referenceKernels } from "../src/tensor/kernels.ts";
import { benchTrainStep } from "./bench/train-step.ts";
import { benchGeneration } from "./bench/generation.ts";
import { benchPictures } from "./bench/pictures.ts";
import { benchResponsiveness } from "./bench/responsiveness.ts";
import { fastestKernels } from "../src/app/kernels.ts";

const only = process.argv[2];
const want = (section: string) => only === undefined || only === section;

console.log(`# bench — node ${process.version}, ${new Date().toISOString()}`);
const kernelSets = fastestKernels() === referenceKernels ? [referenceKernels] : [fastestKernels(), referenceKernels];
console.log(`load average: ${loadavg().map((x) => x.toFixed(2)).join(" ")} on ${cpus().length} cores`);
if (want("train")) benchTrainStep("baby", kernelSets, 3);
// the TypeScript reference would take minutes per step of small: only the fastest kernels
if (want("small")) benchTrainStep("small", [fastestKernels()], 3);
if (want("generate")) benchGeneration(fastestKernels());
if (want("pictures")) await benchPictures();
if (want("training")) benchResponsiveness(30);
