/**
 * `npm run worker`: a training worker on any host. It takes /train jobs from the queue in the
 * bots' PostgreSQL database, trains each in a worker thread, and writes progress, checkpoints
 * and the installed model back there (src/queue/).
 *
 *   DATABASE_URL=postgres://…   the bots' database (required)
 *   WORKER_CONCURRENCY=1        trainings at once (each holds a core for its minutes)
 *   MODELS_DIR                  the bots' imported models folder, if they have one (to decide installs as they do)
 *   WORKER_HEARTBEAT_SECONDS=5, WORKER_STALE_SECONDS=30, WORKER_POLL_SECONDS=2, QUEUE_MAINTENANCE_SECONDS
 *                               how often it says it is alive, when a silent worker's job is handed over,
 *                               how often an idle worker asks for a job, pg-boss's housekeeping interval
 */
import { startWorker } from "../queue/worker-loop.ts";

class WorkerConfigError extends Error {}

/** A positive number from the environment (integer when asked), or the default; a clear error otherwise. */
function positive(name: string, fallback: number | undefined, integer: boolean): number | undefined {
  const raw = process.env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new WorkerConfigError(`${name} must be a positive ${integer ? "whole " : ""}number, got "${raw}"`);
  return n;
}

async function main(): Promise<number> {
  let settings: Parameters<typeof startWorker>[0];
  try {
    const databaseUrl = process.env.DATABASE_URL?.trim();
    if (!databaseUrl)
      throw new WorkerConfigError("npm run worker needs DATABASE_URL=postgres://… (the PostgreSQL database the bots use); it is not set");
    if (!/^postgres(ql)?:\/\//i.test(databaseUrl))
      throw new WorkerConfigError("DATABASE_URL must start with postgres:// or postgresql:// (a worker runs on PostgreSQL only)");
    const maintenance = positive("QUEUE_MAINTENANCE_SECONDS", undefined, true);
    settings = {
      databaseUrl,
      concurrency: positive("WORKER_CONCURRENCY", 1, true),
      heartbeatSeconds: positive("WORKER_HEARTBEAT_SECONDS", 5, false),
      staleSeconds: positive("WORKER_STALE_SECONDS", 30, false),
      pollingSeconds: positive("WORKER_POLL_SECONDS", 2, false),
      modelsDir: process.env.MODELS_DIR?.trim() || undefined,
      ...(maintenance !== undefined && { queue: { maintenanceIntervalSeconds: maintenance } }),
    };
  } catch (err) {
    if (err instanceof WorkerConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const worker = await startWorker(settings);
  const stop = async () => {
    await worker.stop().catch(() => undefined);
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return 0;
}

const code = await main();
if (code !== 0) process.exit(code);
