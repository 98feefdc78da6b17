/** Writing a picture where the user asked (--out FILE.png), with a one-line note. */
import { writeFileSync } from "node:fs";
import { UsageError } from "./usage-error.ts";

export function requirePngPath(out: string | undefined, command: string): string {
  if (!out) throw new UsageError(`${command}: --out FILE.png is required`);
  if (!out.toLowerCase().endsWith(".png")) throw new UsageError(`${command}: --out must end in .png, got "${out}"`);
  return out;
}

export function writePicture(out: string, png: Uint8Array): void {
  try {
    writeFileSync(out, png);
  } catch (err) {
    throw new UsageError(`cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  process.stderr.write(`wrote ${out} (${png.length.toLocaleString("en-US")} bytes)\n`);
}
