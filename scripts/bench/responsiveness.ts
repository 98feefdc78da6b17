/**
 * The bot while it trains (goals: event-loop p99 delay under 20 ms; peak memory): runs
 * ./training-run.ts in a child process and prints what it measured.
 */
import { spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

export function benchResponsiveness(seconds = 30): void {
  console.log(`\n## while training: event loop and memory (baby on the shipped corpus, ${seconds} s, a /predict every 200 ms)`);
  console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(" ")} on ${cpus().length} cores`);
  const tsx = path.resolve(here, "../../node_modules/.bin/tsx");
  const r = spawnSync(tsx, [path.join(here, "training-run.ts"), String(seconds)], { encoding: "utf8", timeout: (seconds + 120) * 1000 });
  const line = r.stdout?.trim().split("\n").pop();
  if (r.status !== 0 || !line?.startsWith("{")) {
    console.log(`failed: ${(r.stderr || r.error?.message || "").trim().split("\n").slice(-3).join(" / ")}`);
    return;
  }
  const m = JSON.parse(line);
  const verdict = m.delay.p99 < 20 ? "under" : "OVER";
  console.log(`event-loop delay: p50 ${m.delay.p50} ms, p99 ${m.delay.p99} ms (${verdict} the 20 ms goal), max ${m.delay.max} ms`);
  console.log(`/predict meanwhile: ${m.predict.median.toFixed(1)} ms (min ${m.predict.min.toFixed(1)}, max ${m.predict.max.toFixed(1)})`);
  if (m.error) console.log(`training error: ${m.error}`);
  console.log(`training: ${m.status}, ${m.steps} steps in ${m.seconds.toFixed(1)} s, ${m.tokensPerSecond} tokens/s (in its worker thread)`);
  console.log(`peak memory (RSS) of the process: ${m.maxRssMiB} MiB (default model loaded, training in a worker, store open)`);
}
