/**
 * Input problems in the user's language: the use cases throw InputError with a code and an
 * English message; commands rethrow it translated (with the values the user gave), and the
 * dispatcher shows it as one ephemeral line.
 */
import { InputError } from "../../app/prompt.ts";
import type { Strings } from "./i18n.ts";

/** The same error with a translated message when it is an InputError the strings know; anything else unchanged. */
export function translated(err: unknown, text: Strings, values: Record<string, unknown>): unknown {
  if (!(err instanceof InputError)) return err;
  return new InputError(text.inputError(err.code, { ...values, ...err.values }) ?? err.message, err.code, err.values);
}

/** Runs a check; an InputError comes out translated. */
export function checked<T>(check: () => T, text: Strings, values: Record<string, unknown>): T {
  try {
    return check();
  } catch (err) {
    throw translated(err, text, values);
  }
}
