/** Time to make each picture from the shipped default model (use case + render + PNG encode). */
import { loadDefaultModel } from "../../src/app/load-model.ts";
import { fastestKernels } from "../../src/app/kernels.ts";
import { attentionPicture } from "../../src/app/attention.ts";
import { predictNext } from "../../src/app/predict.ts";
import { generateText } from "../../src/app/generate-text.ts";
import { modelInfo } from "../../src/app/model-info.ts";
import { embeddingsPicture, lossPicture, modelCardPicture, predictPicture, tokensPicture, tracePicture } from "../../src/app/pictures.ts";
import { fmt, spread } from "./stats.ts";
import { redactGeneration } from "../../src/app/redaction.ts";
import { lensOf } from "../../src/app/lens.ts";
import { attributeNext } from "../../src/app/attribute.ts";
import { ablateNext } from "../../src/app/ablate.ts";
import { ablationPicture, attributionPicture, lensPicture, nextAttentionPicture, rolloutPicture } from "../../src/app/look-pictures.ts";
import { nextTokenAttention, rolloutOf } from "../../src/app/attention-views.ts";
import { encodePrompt } from "../../src/app/prompt.ts";
import { benchAnswers } from "./answers.ts";

async function timePicture(name: string, make: () => Promise<Uint8Array>, runs = 5): Promise<void> {
  await make(); // warm-up: font registration, JIT
  const times: number[] = [];
  let size = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    size = (await make()).length;
    times.push(performance.now() - t0);
  }
  console.log(`${name.padEnd(36)} ${fmt(spread(times), 0)} ms, ${(size / 1024).toFixed(0)} KB`);
}

export async function benchPictures(): Promise<void> {
  console.log("\n## pictures (default model, ms per picture: median (min, max) of 5)");
  const handle = await loadDefaultModel(fastestKernels());
  const info = modelInfo(handle);
  const sentence = "昨日は雨だったけど、今日は晴れだった。It rained yesterday, but today it is sunny.";
  const generated = generateText(handle, "It rained yesterday, but", { maxTokens: 12, seed: 1 });
  await timePicture("attention, one head", async () => (await attentionPicture(handle, sentence, { layer: 0, head: 0, lang: "ja" })).png);
  await timePicture("attention, all layers × heads", async () => (await attentionPicture(handle, sentence, { lang: "en" })).png);
  await timePicture("next-token predictions", () => predictPicture(predictNext(handle, sentence, { k: 10 }), "en", handle.name));
  await timePicture("loss curve", () => lossPicture(info, "en"));
  await timePicture("generation trace (12 steps)", () => tracePicture(handle, redactGeneration(handle, generated, null), "en"));
  await timePicture("tokens", () => tokensPicture(handle, sentence, "ja"));
  await timePicture("embeddings (PCA of 1024 tokens)", () => embeddingsPicture(handle, "en", "the"));
  await timePicture("model card", () => modelCardPicture(info, "ja"));
  // /lens, /why, /ablate on a text of the model's whole context (64 tokens on baby)
  const long = longText(handle);
  const T = encodePrompt(handle, long).ids.length;
  await timePicture(`logit lens (${T} tokens)`, () => lensPicture(lensOf(handle, long), "en", handle.name));
  await timePicture(`attribution, both methods (${T} tokens)`, () => attributionPicture(attributeNext(handle, long), "en", handle.name));
  await timePicture(`ablation + heads grid (${T} tokens)`, () =>
    ablationPicture(ablateNext(handle, long, { heads: "1.0" }), "en", handle.name),
  );
  await timePicture(`attention rollout (${T} tokens)`, () => rolloutPicture(rolloutOf(handle, long), "en", handle.name));
  await timePicture(`predicted token's attention (${T} tokens)`, () =>
    nextAttentionPicture(nextTokenAttention(handle, long), "ja", handle.name),
  );
  await benchAnswers(handle, long, T);
}

/** Only the answers section (benchAnswers), for the commands whose name starts with `only` (all without). */
export async function benchAnswersOnly(only?: string): Promise<void> {
  const handle = await loadDefaultModel(fastestKernels());
  const long = longText(handle);
  await benchAnswers(handle, long, encodePrompt(handle, long).ids.length, only);
}

/** A text that fills the model's context exactly: the eot token and blockSize − 1 tokens. */
function longText(handle: Awaited<ReturnType<typeof loadDefaultModel>>): string {
  const base = "It rained yesterday, but today it is sunny. 昨日は雨だったけど、今日は晴れだった。";
  let text = base;
  while (encodePrompt(handle, text).dropped === 0) text += base;
  // cut characters from the end until nothing is dropped
  while (encodePrompt(handle, text).dropped > 0) text = text.slice(0, -1);
  return text;
}
