/** Small helpers the playground's commands share. */
import { verbatimIndexFor } from "../../../app/verbatim.ts";
import type { WebContext } from "../command-spec.ts";

/** Never hand a stored message back word for word (the same rule as the bot's). */
export function redactStored(ctx: WebContext, text: string): { text: string; cut: boolean } {
  const redacted = verbatimIndexFor(ctx.store, ctx.space)?.redact(text);
  return redacted?.cut ? { text: redacted.text, cut: true } : { text, cut: false };
}
