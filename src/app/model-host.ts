/**
 * A model behind a thread (./model-host-worker.ts): the same model file loaded in a worker that
 * answers forward passes, so a /predict, /generate, /trace or chat on a large model (GPT-2 small:
 * 124 M parameters, about a second a pass on a busy machine) never holds the bot's event loop;
 * /ablate's 146 passes and /predict heads: run there too. The use cases that read a pass's
 * insides (attention, lens, why, neurons) and most /explain topics run there as well; the main
 * thread's handle views the host's one copy of the weights (./hosted-model.ts).
 *
 *   const host = await startModelHost(file, name, imports);
 *   const logits = await host.nextLogits(ids);      // Float32Array [V]
 *   await host.close();
 */
import { Worker } from "node:worker_threads";
import type { HeadMask } from "../model/gpt.ts";
import type { LookName, LookOptions, LOOKS } from "./look-work.ts";
import type { ChatGenerateOptions, ChatReply } from "./chat.ts";
import type { GeneratedText, GenerateTextOptions } from "./generate-text.ts";
import type { ImportModelOptions } from "./import-model.ts";
import { InputError } from "./prompt.ts";
import type { Explanation, TopicName } from "./explain/index.ts";
import type { ModelIdentity } from "./model-identity.ts";

/** Models with at least this many parameters answer from a host thread (a pass of a smaller one takes a few ms). */
export const HOST_MIN_PARAMS = 20_000_000;

export interface ModelHost {
  /**
   * the thread's parameters [countParams(config)]: a view of its kernels' shared memory (a
   * SharedArrayBuffer), so the main thread's model can lay itself over the same bytes (./hosted-model.ts)
   */
  readonly params: Float32Array;
  nextLogits(ids: readonly number[]): Promise<Float32Array>;
  generateText(prompt: string, options: GenerateTextOptions): Promise<GeneratedText>;
  chatReply(promptIds: readonly number[], options: ChatGenerateOptions): Promise<ChatReply>;
  /** a look at the model's insides (src/app/look-work.ts) */
  look<N extends LookName>(name: N, text: string, options?: LookOptions<N>): Promise<ReturnType<(typeof LOOKS)[N]>>;
  /** /explain's topic told and drawn in the thread (src/app/explain/hosted.ts says which topics may) */
  explain(topic: TopicName, options: HostedExplainOptions): Promise<Explanation>;
  /** per mask, the logits [V] after ids with those heads switched off */
  lastLogits(ids: readonly number[], masks: readonly HeadMask[]): Promise<Float32Array[]>;
  /** ends the thread; requests still waiting are refused */
  close(): Promise<void>;
}

/** What an explanation in the thread is told: the plain part of ExplainOptions, and who the model is (for its name). */
export interface HostedExplainOptions {
  lang: "en" | "ja";
  text?: string;
  identity?: ModelIdentity;
}

/** Starts the thread and resolves once it has loaded the file (rejects with its reason when it cannot). */
export function startModelHost(file: string, name: string, imports: ImportModelOptions = {}): Promise<ModelHost> {
  const { kernels: _kernels, ...plain } = imports;
  const worker = new Worker(new URL("./worker-boot.mjs", import.meta.url), {
    workerData: { entry: new URL("./model-host-worker.ts", import.meta.url).href, file, name, imports: plain },
  });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let ended: Error | null = null;
  const endAll = (err: Error) => {
    // the first reason stays (a closed host's thread then exits)
    ended ??= err;
    for (const w of waiting.values()) w.reject(ended);
    waiting.clear();
  };
  const call = <T>(op: string, ...args: unknown[]): Promise<T> => {
    if (ended) return Promise.reject(ended);
    const id = nextId++;
    // the thread keeps the process alive only while it has work
    if (waiting.size === 0) worker.ref();
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, op, args });
    });
  };
  const host: Omit<ModelHost, "params"> = {
    nextLogits: (ids) => call("nextLogits", [...ids]),
    generateText: (prompt, options) => call("generateText", prompt, options),
    chatReply: (ids, options) => call("chatReply", [...ids], options),
    lastLogits: (ids, masks) => call("lastLogits", [...ids], masks),
    look: (look, text, options) => call("look", look, text, options),
    explain: (topic, options) => call("explain", topic, options),
    close: async () => {
      endAll(new Error(`the model host of ${name} was closed`));
      await worker.terminate();
    },
  };
  return new Promise<ModelHost>((resolve, reject) => {
    // biome-ignore lint/suspicious/noExplicitAny: messages from the thread, checked by their fields
    worker.on("message", (msg: any) => {
      if (msg.type === "ready") {
        // idle: the bot may exit while the host waits for work
        worker.unref();
        resolve({ ...host, params: msg.params as Float32Array });
      } else if (msg.type === "failed") {
        reject(new Error(msg.message));
        void worker.terminate();
      } else {
        const w = waiting.get(msg.id);
        if (!w) return;
        waiting.delete(msg.id);
        if (waiting.size === 0) worker.unref();
        if (msg.ok) w.resolve(msg.value);
        else w.reject(msg.input ? new InputError(msg.message, msg.input.code, msg.input.values) : new Error(msg.message));
      }
    });
    worker.on("error", (err) => {
      endAll(err);
      reject(err);
    });
    worker.on("exit", (code) => {
      const err = new Error(`the model host of ${name} stopped (exit code ${code})`);
      endAll(err);
      reject(err);
    });
  });
}
