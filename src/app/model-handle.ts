/**
 * A model ready to use: the network, its tokenizer, what its checkpoint says about it, and a
 * name to show ("default model", "this server's model"). Every use case takes one of these.
 */
import { GPT } from "../model/gpt.ts";
import type { CheckpointMeta, LoadedCheckpoint } from "../model/checkpoint.ts";
import type { Kernels } from "../tensor/kernels.ts";
import type { Tokenizer } from "../tokenizer/tokenizer.ts";
import { tokenizerFromJSON } from "../tokenizer/from-json.ts";
import type { LogitSource } from "../sample/generate.ts";
import { KVCachedModel } from "../model/kv-cache.ts";
import type { ModelIdentity } from "./model-identity.ts";
import type { ModelHost } from "./model-host.ts";

export interface ModelHandle {
  /** its English display name (identity.displayName where it has an identity) */
  name: string;
  /** which model it is (src/app/model-identity.ts); the registry always sets it */
  identity?: ModelIdentity;
  model: GPT;
  tokenizer: Tokenizer;
  meta: CheckpointMeta;
  /** next-token logits for generation (KV-cached: one row of work per new token) */
  source: LogitSource;
  /** the same model in a host thread (./model-host.ts) that answers /predict, /generate, /trace and chat off the event loop; absent: they run on `model` */
  host?: ModelHost;
}

export function handleFromCheckpoint(checkpoint: LoadedCheckpoint, name: string, kernels?: Kernels): ModelHandle {
  const tokenizer = tokenizerFromJSON(checkpoint.meta.tokenizer);
  if (tokenizer.vocabSize !== checkpoint.config.vocabSize) {
    throw new Error(`${name}: tokenizer has ${tokenizer.vocabSize} tokens, the model's vocabulary is ${checkpoint.config.vocabSize}`);
  }
  const model = new GPT(checkpoint.config, { kernels }).loadParams(checkpoint.params);
  return { name, model, tokenizer, meta: checkpoint.meta, source: new KVCachedModel(model) };
}
