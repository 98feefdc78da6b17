/**
 * Option parsing for the console: `--name value` and `--flag`, checked against each command's
 * list, with one clear line for every mistake (never a stack trace for user mistakes).
 */
import { parseArgs } from "node:util";

export class UsageError extends Error {}

export type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string }>;

export function parseOptions(argv: string[], spec: OptionSpec, command: string): Record<string, string | boolean | undefined> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: true });
    if (positionals.length > 0) throw new UsageError(`${command}: unexpected argument "${positionals[0]}"`);
    return values as Record<string, string | boolean | undefined>;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // node's messages can run over several lines: keep one
    const message = (err as Error).message
      .replace(/\. To specify a positional argument.*$/s, "")
      .replace(/ argument is ambiguous\..*$/s, " needs a value; for a value starting with a dash write it as --option=-1");
    throw new UsageError(`${command}: ${message}`);
  }
}

/** A number option: undefined when absent, an error naming the option when not a number in range. */
export function numberOption(
  values: Record<string, unknown>,
  name: string,
  opts: { integer?: boolean; min?: number; max?: number } = {},
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const kind = opts.integer ? "a whole number" : "a number";
  if (typeof raw !== "string" || raw.trim() === "" || !Number.isFinite(n) || (opts.integer && !Number.isInteger(n))) {
    throw new UsageError(`--${name} must be ${kind}, got "${String(raw)}"`);
  }
  if ((opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
    throw new UsageError(`--${name} must be ${kind} from ${opts.min ?? "-∞"} to ${opts.max ?? "∞"}, got ${n}`);
  }
  return n;
}

export function stringOption(values: Record<string, unknown>, name: string): string | undefined {
  const raw = values[name];
  return typeof raw === "string" ? raw : undefined;
}
