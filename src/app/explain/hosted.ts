/**
 * Where an explanation is computed: in the model's host thread (./model-host.ts) when the handle
 * has one and the topic needs nothing that lives only on the main thread, else here. A topic's
 * passes and its pictures then run off the bot's event loop. What stays here:
 *   generation, sources  when something stored must be redacted (the redactor) or searched (sources)
 *   neurons              when the space's neuron index knows the model's training text
 */
import type { ModelHandle } from "../model-handle.ts";
import { type ExplainOptions, type Explanation, type TopicName, explainTopic } from "./index.ts";

/** Whether `topic` can be told in the host thread with these options (nothing main-thread-only in use). */
export function explainsInHost(handle: ModelHandle, topic: TopicName, options: ExplainOptions): boolean {
  if (!handle.host) return false;
  if (topic === "generation") return !options.redactor;
  if (topic === "sources") return !options.redactor && !options.sources;
  if (topic === "neurons") return (options.neuronIndex?.(handle).state ?? "none") === "none";
  return true;
}

/** explainTopic, in the host thread when explainsInHost says so. */
export function explainAnywhere(handle: ModelHandle, topic: TopicName, options: ExplainOptions): Promise<Explanation> {
  if (handle.host && explainsInHost(handle, topic, options))
    return handle.host.explain(topic, { lang: options.lang, text: options.text, identity: handle.identity });
  return explainTopic(handle, topic, options);
}
