/**
 * The passes of the commands that read a model's insides, by name, each `(handle, text,
 * options) → plain data` (the picture is drawn from it afterwards). `lookAt` runs one in the
 * model's host thread when it has one (src/app/model-host.ts), else here.
 *   attention  every layer × head's weights (/attention)     rollout  /attention view:rollout
 *   next       /attention view:next                           lens     /lens
 *   why        /why (gradient × input and occlusion)        neurons  /neurons (the MLP neurons at a token)
 */
import { attentionMaps } from "./attention.ts";
import { nextTokenAttention, rolloutOf } from "./attention-views.ts";
import { attributeNext } from "./attribute.ts";
import { lensOf } from "./lens.ts";
import type { ModelHandle } from "./model-handle.ts";
import { neuronsOf } from "./neurons.ts";

export const LOOKS = {
  attention: attentionMaps,
  rollout: rolloutOf,
  next: nextTokenAttention,
  lens: lensOf,
  why: attributeNext,
  neurons: neuronsOf,
};
export type LookName = keyof typeof LOOKS;
type Look<N extends LookName> = (typeof LOOKS)[N];
/** a look's options (none for those that take only the text) */
export type LookOptions<N extends LookName> = Parameters<Look<N>> extends [unknown, unknown, (infer O)?] ? O : undefined;

/** The look `name` of `text`: in the host thread when the handle has one (its pass off the event loop). */
export function lookAt<N extends LookName>(
  handle: ModelHandle,
  name: N,
  text: string,
  options?: LookOptions<N>,
): Promise<ReturnType<Look<N>>> {
  if (handle.host) return handle.host.look(name, text, options);
  const run = LOOKS[name] as (h: ModelHandle, t: string, o?: unknown) => ReturnType<Look<N>>;
  return Promise.resolve().then(() => run(handle, text, options));
}
