/**
 * `npm run bench`: every timing of the project, printed (never asserted), with ratios against
 * the PyTorch reference in ../shared/reference where it runs.
 *   npm run bench                 all sections
 *   npm run bench -- train        only the training-step section
 */
import { referenceKernels } from "../src/tensor/kernels.ts";
import { benchTrainStep } from "./bench/train-step.ts";

const only = process.argv[2];
const want = (section: string) => only === undefined || only === section;

console.log(`# bench — node ${process.version}, ${new Date().toISOString()}`);
if (want("train")) benchTrainStep("baby", [referenceKernels], 3);
