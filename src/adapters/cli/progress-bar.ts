/** One live line on stderr: step, loss, val loss, tokens/s, ETA. */
import type { Progress } from "../../train/trainer.ts";

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

export function progressLine(p: Progress, lastVal: number | null): string {
  const known = p.totalSteps < Number.MAX_SAFE_INTEGER;
  const fraction = known ? p.step / p.totalSteps : 0;
  const width = 20;
  const filled = Math.round(fraction * width);
  const bar = known ? `[${"█".repeat(filled)}${"·".repeat(width - filled)}] ` : "";
  const total = known ? `/${p.totalSteps}` : "";
  const val = lastVal === null ? "" : ` val ${lastVal.toFixed(3)}`;
  return `${bar}step ${p.step}${total} loss ${p.trainLoss.toFixed(3)}${val} | ${Math.round(p.tokensPerSecond)} tok/s | ETA ${formatDuration(p.etaSeconds)}`;
}

export class LiveLine {
  private shown = false;
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}
  update(text: string): void {
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${text}`);
      this.shown = true;
    }
  }
  /** a line that stays (evaluations, the end) */
  log(text: string): void {
    if (this.shown) this.stream.write("\r\x1b[2K");
    this.shown = false;
    this.stream.write(`${text}\n`);
  }
}
