/** The console's language: --lang ja|en, else the system locale (LANG / LC_ALL), else English. */
import type { Lang } from "../../lang.ts";
import { UsageError } from "./usage-error.ts";

export function langOption(value: string | undefined): Lang {
  if (value === undefined) {
    const locale = process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || "";
    return locale.toLowerCase().startsWith("ja") ? "ja" : "en";
  }
  if (value !== "ja" && value !== "en") throw new UsageError(`--lang must be ja or en, got "${value}"`);
  return value;
}
