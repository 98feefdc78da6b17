/**
 * `npm run bench -- load`: 200 interactions at once (/predict, /attention, every 4th a chat
 * mention) while the bot trains on production's thread count, from a fake Discord in its own
 * process (test/load). Prints acknowledgement and answer p50/p99, how many were late, refused
 * ("busy") or lost, and the heavy queue's depth. Goal: every one acknowledged within 3 s
 * (p99 ≤ 1 s) and answered. Only meaningful on an otherwise idle machine.
 */
import { loadavg } from "node:os";
import { percentile, runLoad } from "../../test/load/run-load.ts";

export async function benchLoad(count = 200): Promise<void> {
  console.log(`\n## load: ${count} at once during a training (load average ${loadavg()[0].toFixed(2)})`);
  const run = await runLoad(count);
  const acks = run.samples.flatMap((s) => (s.ack === null ? [] : [s.ack]));
  const answers = run.samples.flatMap((s) => (s.answer === null ? [] : [s.answer]));
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  console.log(`training threads: ${run.threads}; all answered in ${ms(run.totalMs)}; still training: ${run.stillTraining}`);
  console.log(
    `acknowledged (${acks.length} interactions): p50 ${ms(percentile(acks, 0.5))}, p99 ${ms(percentile(acks, 0.99))}, max ${ms(Math.max(...acks))}`,
  );
  console.log(`answered (${answers.length} of ${count}): p50 ${ms(percentile(answers, 0.5))}, p99 ${ms(percentile(answers, 0.99))}`);
  console.log(
    `late (after 3 s): ${run.samples.filter((s) => s.late).length}; not a real answer: ${run.samples.filter((s) => s.answer !== null && !s.real).length} ` +
      `(chat "busy" lines: ${run.samples.filter((s) => s.kind === "chat" && s.answer !== null && !s.real).length}); lost: ${count - answers.length}`,
  );
  console.log(
    `heavy queue depth: max ${Math.max(0, ...run.depths)}, p50 ${percentile(run.depths, 0.5)}, p99 ${percentile(run.depths, 0.99)} (sampled every 10 ms, ${run.depths.length} samples)`,
  );
}
