/**
 * `npm run bench`: every timing of the project, printed (never asserted), with ratios against
 * the PyTorch reference in ../shared/reference where it runs.
 *   npm run bench                 all sections
 *   npm run bench -- train        only the training-step section (also: generate, pictures)
 */
import { referenceKernels } from "../src/tensor/kernels.ts";
import { benchTrainStep } from "./bench/train-step.ts";
import { benchGeneration } from "./bench/generation.ts";
import { benchPictures } from "./bench/pictures.ts";
import { fastestKernels } from "../src/app/kernels.ts";

const only = process.argv[2];
const want = (section: string) => only === undefined || only === section;

console.log(`# bench — node ${process.version}, ${new Date().toISOString()}`);
const kernelSets = fastestKernels() === referenceKernels ? [referenceKernels] : [fastestKernels(), referenceKernels];
if (want("train")) benchTrainStep("baby", kernelSets, 3);
if (want("generate")) benchGeneration(fastestKernels());
if (want("pictures")) await benchPictures();
