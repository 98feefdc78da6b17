/** Small helpers for validating saved tokenizers with messages that name the values. */

/** A short description of any value for error messages: `"abc"`, `42`, `an array`, `null`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing (missing)";
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "object") return "an object";
  return String(value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value of `record[field]` checked to be an integer, or an error naming where. */
export function requireInteger(record: Record<string, unknown>, field: string, where: string): number {
  const value = record[field];
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new Error(`${where}: "${field}" must be an integer, got ${describeValue(value)}`);
  }
  return value;
}

/** The value of `record[field]` checked to be an array, or an error naming where. */
export function requireArray(record: Record<string, unknown>, field: string, where: string): unknown[] {
  const value = record[field];
  if (!Array.isArray(value)) {
    throw new Error(`${where}: "${field}" must be an array, got ${describeValue(value)}`);
  }
  return value;
}

/** Refuse a version this build cannot read. */
export function requireVersion(record: Record<string, unknown>, expected: number, where: string): void {
  const version = record.version;
  if (version !== expected) {
    throw new Error(`${where}: unsupported version ${describeValue(version)} (this build reads version ${expected})`);
  }
}
