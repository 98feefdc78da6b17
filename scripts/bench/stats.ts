/** Small helpers shared by the benchmark sections: spreads, formatting, the PyTorch reference. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { min: sorted[0], median, max: sorted[sorted.length - 1] };
}

export function fmt(s: Spread, digits = 1): string {
  return `${s.median.toFixed(digits)} (min ${s.min.toFixed(digits)}, max ${s.max.toFixed(digits)})`;
}

/** Times `fn` `runs` times after `warmup` untimed runs; milliseconds. */
export function timeRuns(fn: () => void, runs: number, warmup = 1): Spread {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return spread(times);
}

/** "load average: 1.02 0.87 0.55 on 2 cores" — printed at the start of each section, to judge its noise. */
export function loadLine(): string {
  return `load average: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")} on ${cpus().length} cores`;
}

export const MiB = 1024 * 1024;

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, "../..");

/** True when the module at `moduleUrl` is the program itself (`node --import tsx that-file.ts`), not an import. */
export function isEntryPoint(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(moduleUrl);
}

/**
 * Runs a TypeScript file in a fresh `node --import tsx` process (from the project folder) and
 * parses the last line it prints as JSON; { failed } with the end of its stderr otherwise.
 */
// biome-ignore lint/suspicious/noExplicitAny: the child prints JSON whose shape each caller knows
export function runChild(moduleUrl: string, args: string[], timeoutSeconds: number): { json: any } | { failed: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(moduleUrl), ...args], {
    cwd: projectRoot,
    encoding: "utf8",
    timeout: timeoutSeconds * 1000,
    maxBuffer: 64 * MiB,
  });
  const line = r.stdout?.trim().split("\n").pop() ?? "";
  if (r.status !== 0 || !line.startsWith("{")) {
    const why = (r.stderr || r.error?.message || `exit ${r.status ?? r.signal}`).trim().split("\n").slice(-3).join(" / ");
    return { failed: why };
  }
  return { json: JSON.parse(line) };
}

/** ../shared/reference/run.sh beside the project, if present. */
export const referenceScript = path.resolve(here, "../../../shared/reference/run.sh");
export const shakespearePath = path.resolve(here, "../../../shared/data/tinyshakespeare.txt");

/** Runs the PyTorch reference with these arguments and parses its JSON; null (with a reason) when it cannot run. */
// biome-ignore lint/suspicious/noExplicitAny: the reference prints JSON whose shape each caller knows
export function runReference(args: string[], timeoutSeconds: number): { json: any } | { skipped: string } {
  if (!existsSync(referenceScript)) return { skipped: `no ${referenceScript}` };
  const r = spawnSync("bash", [referenceScript, ...args], { encoding: "utf8", timeout: timeoutSeconds * 1000 });
  if (r.status !== 0) {
    const why = (r.stderr || r.error?.message || "").trim().split("\n").pop();
    return { skipped: `reference failed: ${why} (install: apt-get install -y python3-torch python3-numpy libopenblas0-openmp)` };
  }
  const line = r.stdout.trim().split("\n").pop() ?? "";
  return { json: JSON.parse(line) };
}
