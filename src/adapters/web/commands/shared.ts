/** Small helpers the playground's commands share. */
import { type Redactor, redactorFor, redactText } from "../../../app/redaction.ts";
import type { WebContext } from "../command-spec.ts";

/** Never hand a stored message back word for word (the same rule as the bot's). */
export function redactStored(ctx: WebContext, text: string): { text: string; cut: boolean } {
  return redactText(text, storedRedactor(ctx));
}

/** The redactor of the playground's space (src/app/redaction.ts). */
export function storedRedactor(ctx: WebContext): Redactor | null {
  return redactorFor(ctx.store, ctx.space);
}
