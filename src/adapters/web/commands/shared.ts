/** Small helpers the playground's commands share. */
import { type Redactor, redactorFor } from "../../../app/redaction.ts";
import type { WebContext } from "../command-spec.ts";

/** The redactor of the playground's space (src/app/redaction.ts): no answer hands a stored text back word for word. */
export function storedRedactor(ctx: WebContext): Promise<Redactor | null> {
  return redactorFor(ctx.store, ctx.space);
}
