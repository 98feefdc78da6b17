/**
 * The model host thread: holds a model's weights and answers the work of its commands that is a
 * forward pass, so the bot's event loop never runs one for a large model.
 * In:  workerData = { file, name, imports } (what loadModelFile takes; the thread loads the file itself)
 * Then messages { id, op, args } with op one of HOST_OPS, answered { id, ok: true, value } or
 * { id, ok: false, message, input? } (input: a refused input's { code, values }). A { type: "ready", params } message says the weights are in place
 * (params: Float32Array over a SharedArrayBuffer, the one copy the main thread views too), or
 * { type: "failed", message } that they could not be loaded.
 *   nextLogits(ids)                 the logits [V] after ids (KV cache: a prompt that extends the last one reuses it)
 *   generateText(prompt, options)   /generate and /trace: the continuation with its steps (KV cache)
 *   chatReply(promptIds, options)   chat: the model's next message with its steps (KV cache)
 *   look(name, text, options)       /attention, /lens, /why: a look at the insides (src/app/look-work.ts), as plain data
 *   explain(topic, options)         /explain: a topic told and drawn (HostedExplainOptions), as plain data
 *   lastLogits(ids, masks)          /ablate and /predict heads: per mask, the logits [V] after ids
 *                                   with those heads switched off (full passes)
 */
import { parentPort, workerData } from "node:worker_threads";
import type { HeadMask } from "../model/gpt.ts";
import { lastLogits } from "./ablate.ts";
import { generateChatReply } from "./chat.ts";
import { generateText } from "./generate-text.ts";
import { type ImportModelOptions, importedKind, probeImportedModel } from "./import-model.ts";
import { countParams } from "../model/params.ts";
import type { Kernels } from "../tensor/kernels.ts";
import { fastestKernels } from "./kernels.ts";
import { loadModelFile } from "./load-model.ts";
import { InputError } from "./prompt.ts";
import { explainTopic, type TopicName } from "./explain/index.ts";
import type { HostedExplainOptions } from "./model-host.ts";
import { LOOKS, type LookName } from "./look-work.ts";
import type { ModelHandle } from "./model-handle.ts";

const { file, name, imports } = workerData as { file: string; name: string; imports: ImportModelOptions };
const port = parentPort!;

type Op = (handle: ModelHandle, ...args: never[]) => unknown;
const OPS: Record<string, Op> = {
  nextLogits: (handle, ids: number[]) => handle.source.nextLogits(Int32Array.from(ids)),
  generateText: (handle, prompt: string, options: Parameters<typeof generateText>[2]) => generateText(handle, prompt, options),
  chatReply: (handle, ids: number[], options: Parameters<typeof generateChatReply>[2]) => generateChatReply(handle, ids, options),
  look: (handle, name: LookName, text: string, options: unknown) =>
    (LOOKS[name] as (h: ModelHandle, t: string, o?: unknown) => unknown)(handle, text, options),
  explain: (handle, topic: TopicName, options: HostedExplainOptions) => {
    // the caller's identity names the model as on the main thread
    handle.identity = options.identity;
    return explainTopic(handle, topic, { lang: options.lang, text: options.text });
  },
  lastLogits: (handle, ids: number[], masks: HeadMask[]) => masks.map((mask) => Float32Array.from(lastLogits(handle, ids, mask))),
};

/**
 * The weights' buffer: the WebAssembly kernels' memory is shared already; the TypeScript kernels
 * get a SharedArrayBuffer made here (an imported model's size is known from its headers).
 */
function sharedWeights(kernels: Kernels): ImportModelOptions["weights"] {
  const kind = importedKind(file);
  if ("memory" in kernels || kind === null) return undefined;
  const n = countParams(probeImportedModel(file, kind, imports).config);
  return { params: new Float32Array(new SharedArrayBuffer(4 * n)), filled: false };
}

try {
  const kernels = fastestKernels();
  const handle = await loadModelFile(file, name, kernels, { ...imports, weights: sharedWeights(kernels) });
  // 1. one request at a time, in the order they came (the KV cache is the thread's one state)
  let tail: Promise<unknown> = Promise.resolve();
  port.on("message", (msg: { id: number; op: string; args: unknown[] }) => {
    tail = tail.then(async () => {
      const op = OPS[msg.op];
      try {
        if (!op) throw new Error(`the model host has no operation "${msg.op}"`);
        const value = await (op as (h: ModelHandle, ...a: unknown[]) => unknown)(handle, ...msg.args);
        // logits go over without a copy
        const rows = value instanceof Float32Array ? [value] : Array.isArray(value) && value[0] instanceof Float32Array ? value : [];
        port.postMessage(
          { id: msg.id, ok: true, value },
          (rows as Float32Array[]).map((r) => r.buffer as ArrayBuffer),
        );
      } catch (err) {
        // a refused input keeps its code and values (the reply says it in the user's language)
        const input = err instanceof InputError ? { code: err.code, values: err.values } : undefined;
        port.postMessage({ id: msg.id, ok: false, message: err instanceof Error ? err.message : String(err), input });
      }
    });
  });
  // a view of shared memory goes over as the same bytes, not a copy
  port.postMessage({ type: "ready", params: handle.model.params });
} catch (err) {
  port.postMessage({ type: "failed", message: err instanceof Error ? err.message : String(err) });
}
