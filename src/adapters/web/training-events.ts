/**
 * GET /api/train/events: the running training as server-sent events, so the page can follow it.
 *
 *   event: progress   data: { text, step, totalSteps, trainLoss, valLoss, points }   (at most 4 a second)
 *   event: end        data: { text, status, use? }  then the stream closes; `use` { ref, label }: the
 *                     new model was kept but does not answer, the page offers a button to choose it
 *   event: idle       data: { text }                no training runs; the stream closes
 *
 * The page fetches the loss-curve picture again when `points` has grown.
 */
import { MODEL_SENTENCES } from "../../app/model-sentences.ts";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { WebContext } from "./command-spec.ts";
import { SECURITY_HEADERS } from "./http.ts";
import { texts } from "./texts.ts";

const MIN_INTERVAL_MS = 250;
const HEARTBEAT_MS = 15_000;

export function followTraining(req: IncomingMessage, res: ServerResponse, ctx: WebContext, streams: Set<ServerResponse>): void {
  const t = texts(ctx.lang);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
  });
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const training = ctx.training.current(ctx.space);
  if (!training) {
    send("idle", { text: t.trainNotRunning });
    res.end();
    return;
  }
  streams.add(res);

  // 1. progress, throttled: the worker reports every few steps, the page needs no more than this
  let last = 0;
  let pending: NodeJS.Timeout | null = null;
  const progress = () => {
    pending = null;
    last = Date.now();
    const s = training.snapshot();
    send("progress", {
      text: t.trainProgress(s),
      phase: s.phase,
      step: s.step,
      totalSteps: s.totalSteps,
      trainLoss: s.trainLoss,
      valLoss: s.valLoss,
      points: training.points.length,
    });
  };
  const onChange = () => {
    if (pending || training.outcome) return;
    pending = setTimeout(progress, Math.max(0, last + MIN_INTERVAL_MS - Date.now()));
  };
  const unsubscribe = training.subscribe(onChange);
  const heartbeat = setInterval(() => res.write(": still here\n\n"), HEARTBEAT_MS);
  const finish = () => {
    unsubscribe();
    clearInterval(heartbeat);
    if (pending) clearTimeout(pending);
    streams.delete(res);
  };
  progress();

  // 2. the end: the outcome, then close
  training.done.then((outcome) => {
    if (res.writableEnded) return;
    // the steps run of the (last) plan: a bar drawn from them ends where the run ended, not at 100 % regardless
    const steps = outcome.summary ? { step: outcome.summary.steps, totalSteps: outcome.summary.totalSteps } : {};
    // a model kept but not chosen: the panel offers to use it (never switched silently)
    const waiting = outcome.model && outcome.installation && !outcome.installation.switched;
    send("end", {
      text: t.trainOutcome(outcome),
      status: outcome.status,
      points: training.points.length,
      ...steps,
      ...(waiting && { use: { ref: `#${outcome.model!.id}`, label: MODEL_SENTENCES[ctx.lang].useIt } }),
    });
    finish();
    res.end();
  });
  req.on("close", finish);
}
