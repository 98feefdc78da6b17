/**
 * Checking a value against its option in the catalogue: the one check every surface and use
 * case runs. A bad value is an InputError with code "bad-option" (or "too-long" for a text over
 * its limit) whose values name the option, what was given and what is allowed; its English
 * message and its Japanese twin come from src/app/input-messages.ts.
 */
import { inputError } from "../input-messages.ts";
import { optionSpec } from "./index.ts";
import type { OptionSpec, OptionValue } from "./types.ts";

/** What a "bad-option" error expected. */
export type ExpectedKind = "text" | "choice" | "integer" | "number" | "boolean";

/**
 * A value (typed text from the playground or the console, or already a number or boolean from
 * Discord, JSON or a use case) checked against its option; text is converted to the option's type.
 */
export function checkOption(option: OptionSpec, value: unknown): OptionValue {
  const shown = String(value).slice(0, 40);
  const fail = (kind: ExpectedKind) =>
    inputError("bad-option", {
      option: option.name,
      localName: option.localName ?? null,
      value: shown,
      kind,
      min: option.min ?? null,
      max: option.max ?? null,
      choices: option.choices?.map((c) => c.value).join(", ") ?? null,
    });
  const given = typeof value === "string" ? value.trim() : value;
  switch (option.type) {
    case "string": {
      if (typeof given !== "string") throw fail("text");
      if (option.choices) {
        const choice = option.choices.find((c) => c.value.toLowerCase() === given.toLowerCase());
        if (!choice) throw fail("choice");
        return choice.value;
      }
      if (option.maxLength !== undefined && given.length > option.maxLength) {
        throw inputError("too-long", { option: option.name, length: given.length, limit: option.maxLength });
      }
      return given;
    }
    case "integer":
    case "number": {
      const n = typeof given === "number" ? given : typeof given === "string" && given !== "" ? Number(given) : Number.NaN;
      const outOfRange = (option.min !== undefined && n < option.min) || (option.max !== undefined && n > option.max);
      const notWhole = option.type === "integer" && !Number.isSafeInteger(n);
      if (!Number.isFinite(n) || notWhole || outOfRange) throw fail(option.type);
      return n;
    }
    case "boolean": {
      if (typeof given === "boolean") return given;
      const word = String(given).toLowerCase();
      if (["true", "yes", "on", "1"].includes(word)) return true;
      if (["false", "no", "off", "0"].includes(word)) return false;
      throw fail("boolean");
    }
  }
}

/**
 * The use cases' check: each given value of `command`'s options (undefined = absent, left out).
 * `checkValues("predict", { k, temperature })`.
 */
export function checkValues<T extends Record<string, unknown>>(command: string, values: T): T {
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) checkOption(optionSpec(command, name), value);
  }
  return values;
}
