/** Small helpers the playground's commands share. */
import { verbatimIndexFor } from "../../../app/verbatim.ts";
import type { WebContext } from "../command-spec.ts";

/** Never hand a stored message back word for word (the same rule as the bot's). */
export function redactStored(ctx: WebContext, text: string): { text: string; cut: boolean } {
  return verbatimIndexFor(ctx.store, ctx.space)?.redact(text) ?? { text, cut: false };
}
