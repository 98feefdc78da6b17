/**
 * Training a guild's own model: the orchestration the Discord bot's /train and the web
 * playground's "local" space share.
 *
 *   - one training per guild at a time (a second `begin` is refused with the running one's progress)
 *   - the guild's stored messages (store.messages, oldest first) are the corpus, one document each
 *   - the training itself runs in a worker thread (startTrainingJob): the event loop only
 *     receives progress reports and checkpoint bytes
 *   - every report and evaluation becomes a loss point of the run in the store, so the curve
 *     can be drawn again after a restart; a training's writes go to the store one after another,
 *     in the order of the reports, and the run is finished after them
 *   - when the run ends (finished, out of time, or stopped on request) its last checkpoint is
 *     installed as the guild's model; until then the previous model keeps answering
 *
 *   const t = service.begin(guildId, { preset: "baby", minutes: 5 });   // TrainingError if one runs
 *   t.noteCollected(read, kept);                                         // while reading messages
 *   await t.train();                                                     // TrainingError if too little text
 *   const off = t.subscribe(() => show(t.snapshot()));
 *   const outcome = await t.done;                                        // never rejects
 */
import { renderLossCurve } from "../render/loss.ts";
import type { Lang } from "../render/lang.ts";
import type { AsyncStore } from "../store/async-store.ts";
import type { ModelInfo as StoredModelInfo } from "../store/index.ts";
import type { LossPoint, Progress } from "../train/trainer.ts";
import type { InstallDecision } from "./install-decision.ts";
import type { ModelRegistry } from "./model-registry.ts";
import { InputError } from "./prompt.ts";
import { CorpusTooSmallError, type TrainModelOptions } from "./train-model.ts";
import { startTrainingJob, type TrainingJob, type TrainingJobHooks, type TrainingSummary } from "./training-job.ts";
import { checkBaseMemory, MemoryTooSmallError, type TrainingBase } from "./fine-tune-base.ts";
import {
  corpusShortfall,
  finalCurve,
  latestValLoss,
  recordPoint,
  storedRunOptions,
  trainingOptionsFor,
  trainingSnapshot,
  UNKNOWN_TOTAL,
} from "./training-plan.ts";
export { vocabSizeFor } from "./training-plan.ts";

/** The presets, the default and the limit on minutes are the catalogue's (/train start's options). */
export {
  DEFAULT_TRAINING_MINUTES,
  DEFAULT_TRAINING_PRESET,
  MAX_TRAINING_MINUTES,
  TRAINING_PRESETS,
  type TrainingPreset,
} from "./catalogue/commands.ts";
import { TRAINING_PRESETS, type TrainingPreset } from "./catalogue/commands.ts";
import { checkValues } from "./catalogue/check.ts";
import { Listeners } from "./listeners.ts";
/** A guild keeps its newest few models (each a few MB in the database). */
export const KEEP_MODELS = 3;
/** How much text a preset needs, and the least number of messages: src/app/training-limits.ts. */
export { corpusRequirement, MIN_MESSAGES } from "./training-limits.ts";

/** "wiped": ended by /admin wipe (its worker killed, nothing it trained installed). */
export type TrainingPhase = "collecting" | "training" | "done" | "stopped" | "failed" | "interrupted" | "cancelled" | "wiped";
export type TrainingErrorCode = "already-training" | "not-enough-text" | "not-enough-memory";

/** A refusal the user can act on; `values` carries the numbers for a translated message. */
export class TrainingError extends InputError {
  constructor(
    message: string,
    override readonly code: TrainingErrorCode,
    values: Record<string, unknown>,
    readonly training?: Training,
  ) {
    super(message, code, values);
  }
}

export interface GuildTrainingRequest {
  preset: TrainingPreset;
  /** the time budget of the training itself (reading messages not included) */
  minutes: number;
  seed?: number;
  /** continue an earlier run that ended early, from its last checkpoint */
  resumeFrom?: { runId: number; checkpoint: Uint8Array };
  /**
   * fine-tune this model (fine-tune-base.ts) instead of a fresh one of `preset`: its size and
   * tokenizer are kept. Resuming a fine-tuned run, its shape alone (the checkpoint holds the rest).
   */
  base?: TrainingBase;
}

/** For tests and benchmarks: a fixed number of steps instead of the time budget, and so on. */
export interface TrainingOverrides {
  steps?: number;
  evalInterval?: number;
  evalBatches?: number;
  vocabSize?: number;
  /** the learning-rate schedule (e.g. one that climbs until the loss blows up, to see the best kept) */
  schedule?: Pick<TrainModelOptions, "maxLr" | "minLr" | "warmupSteps">;
}

export interface TrainingOutcome {
  status: Exclude<TrainingPhase, "collecting" | "training">;
  /** the model stored for the guild (done, or stopped with a checkpoint) */
  model: StoredModelInfo | null;
  /** whether that model now answers, or waits to be chosen (it was worse, or not comparable) */
  installation?: InstallDecision;
  step: number;
  totalSteps: number | null;
  valLoss: number | null;
  trainLoss: number | null;
  seconds: number;
  tokensPerSecond: number;
  summary: TrainingSummary | null;
  /** why it failed */
  error: string | null;
  /** the numbers of a corpus that turned out too small inside the worker */
  tooFewTokens?: { tokens: number; needed: number; preset: string };
}

/** What a progress message or /train status shows. */
export interface TrainingSnapshot {
  phase: TrainingPhase;
  preset: TrainingPreset;
  /** the fine-tuned model's name, or null for a fresh model of `preset` */
  base: string | null;
  minutes: number;
  collected: { read: number; kept: number };
  corpus: { messages: number; characters: number } | null;
  step: number;
  /** null while unknown (a time budget before its first steps) */
  totalSteps: number | null;
  trainLoss: number | null;
  /** the latest evaluation */
  valLoss: number | null;
  tokensPerSecond: number;
  elapsedSeconds: number;
  /** null while unknown */
  etaSeconds: number | null;
  stopRequested: boolean;
  runId: number | null;
  startedAt: number;
  /** a queued training (src/queue/): still waiting for a worker, and the attempt (2 and on: its worker died, another resumed it) */
  queue?: { waiting: boolean; attempt: number; resumedFromStep: number | null };
}

/**
 * One guild's training as /train follows it: in a worker thread of this process (GuildTraining)
 * or queued for a worker process (src/queue/remote-training.ts RemoteTraining).
 */
export interface Training {
  readonly guildId: string;
  readonly request: { preset: TrainingPreset; minutes: number; base?: TrainingBase };
  /** the loss curve so far, by step */
  readonly points: readonly LossPoint[];
  readonly runId: number | null;
  readonly stopRequested: boolean;
  readonly outcome: TrainingOutcome | null;
  /** never rejects */
  readonly done: Promise<TrainingOutcome>;
  subscribe(listener: () => void): () => void;
  noteCollected(read: number, kept: number): void;
  /** TrainingError "not-enough-text" (the guild freed) when the stored text is too little */
  train(): Promise<void>;
  /** before train(): gives the guild back */
  cancel(): void | Promise<void>;
  snapshot(): TrainingSnapshot;
  /** a queued training: where the bot shows it (/train's reply), for a restarted bot to edit it on */
  showIn?(reply: { channelId: string; messageId: string; lang: string }): Promise<void>;
}

/** Where the bot's trainings run: this process (TrainingService) or the queue (src/queue/queued-trainings.ts). */
export interface Trainings {
  /** Reserves the guild. TrainingError "already-training" (with the running one), "not-enough-memory". */
  begin(guildId: string, request: GuildTrainingRequest): Training | Promise<Training>;
  current(guildId: string): Training | undefined | Promise<Training | undefined>;
  /** Asks the guild's training to stop (its last checkpoint kept); undefined when none runs. */
  stop(guildId: string): Training | undefined | Promise<Training | undefined>;
  /** /admin wipe: ends the guild's training before its data goes, nothing it trained installed */
  discard(guildId: string): Promise<void>;
  /** the bot stops */
  shutdown(): Promise<void>;
}

export type TrainingStore = Pick<AsyncStore, "messages" | "runs" | "models">;
export type StartJob = (documents: string[], options: TrainModelOptions, hooks: TrainingJobHooks) => TrainingJob;

export interface TrainingServiceOptions {
  store: TrainingStore;
  registry: ModelRegistry;
  /** default: a worker thread (startTrainingJob) */
  startJob?: StartJob;
  overrides?: TrainingOverrides;
  keepModels?: number;
  /** the machine's memory a training may use (default: what is free, within a container's limit) */
  availableMemory?: () => number;
  /** told about problems that do not stop a training (a store write failed…) */
  onWarning?: (message: string, error?: unknown) => void;
}

export function isTrainingPreset(name: string): name is TrainingPreset {
  return (TRAINING_PRESETS as readonly string[]).includes(name);
}

export class TrainingService implements Trainings {
  private readonly active = new Map<string, GuildTraining>();
  private readonly startJob: StartJob;
  /** mutable: tests switch to a fixed number of steps */
  overrides: TrainingOverrides;

  constructor(private readonly options: TrainingServiceOptions) {
    this.startJob = options.startJob ?? startTrainingJob;
    this.overrides = { ...options.overrides };
  }

  /** The guild's training in progress (collecting or training), if any. */
  current(guildId: string): GuildTraining | undefined {
    return this.active.get(guildId);
  }

  /** Reserves the guild for a new training. Throws TrainingError "already-training" with the running one. */
  begin(guildId: string, request: GuildTrainingRequest): GuildTraining {
    // the catalogue's ranges for /train start (an InputError "bad-option" naming the value)
    checkValues("train start", { preset: request.preset, minutes: request.minutes });
    // a base too big for this machine is refused before anything is read (the figures in the error)
    if (request.base) checkBaseFits(request.base, this.options.availableMemory?.());
    const running = this.active.get(guildId);
    if (running) throw new TrainingError(`guild ${guildId} is already training a model`, "already-training", {}, running);
    const training = new GuildTraining(guildId, request, {
      store: this.options.store,
      registry: this.options.registry,
      startJob: this.startJob,
      overrides: () => this.overrides,
      keepModels: this.options.keepModels ?? KEEP_MODELS,
      warn: (m, e) => this.options.onWarning?.(m, e),
      release: () => {
        if (this.active.get(guildId) === training) this.active.delete(guildId);
      },
    });
    this.active.set(guildId, training);
    return training;
  }

  /** Asks the guild's training to stop (the last checkpoint is kept); undefined if none runs. */
  stop(guildId: string): GuildTraining | undefined {
    const training = this.active.get(guildId);
    training?.requestStop();
    return training;
  }

  /**
   * /admin wipe: ends the guild's training, if any, before its data goes. The worker is killed
   * (not asked to stop: its last checkpoint was trained on the messages being wiped) and nothing
   * it trained is installed. Resolves once the training has ended.
   */
  async discard(guildId: string): Promise<void> {
    await this.active.get(guildId)?.interrupt("wiped");
  }

  /** Ends every training at once (bot shutdown): workers are killed, runs marked interrupted. */
  async shutdown(): Promise<void> {
    const all = [...this.active.values()];
    await Promise.all(all.map((t) => t.interrupt()));
  }
}

interface TrainingDeps {
  store: TrainingStore;
  registry: ModelRegistry;
  startJob: StartJob;
  overrides: () => TrainingOverrides;
  keepModels: number;
  warn: (message: string, error?: unknown) => void;
  release: () => void;
}

/** One guild's training, from reading its messages to the installed model. */
export class GuildTraining implements Training {
  phase: TrainingPhase = "collecting";
  readonly startedAt = Date.now();
  collected = { read: 0, kept: 0 };
  corpus: { messages: number; characters: number } | null = null;
  runId: number | null = null;
  trainOptions: TrainModelOptions | null = null;
  progress: Progress | null = null;
  /** the loss curve so far, by step (what the live picture draws) */
  readonly points: LossPoint[] = [];
  /** the newest evaluation's progress (a checkpoint exists for it) */
  lastCheckpoint: Progress | null = null;
  stopRequested = false;
  outcome: TrainingOutcome | null = null;
  readonly done: Promise<TrainingOutcome>;

  private resolveDone!: (o: TrainingOutcome) => void;
  private job: TrainingJob | null = null;
  /** train() reading the texts and starting the run, until the worker runs (an interrupt waits for it) */
  private starting: Promise<void> | null = null;
  /** the store writes of the reports so far, one after another */
  private writes: Promise<void> = Promise.resolve();
  private checkpointBytes: Uint8Array | null = null;
  /** set by interrupt(): the outcome the killed worker's end becomes */
  private interrupting: "interrupted" | "wiped" | null = null;
  private readonly listeners = new Listeners((err) => this.deps.warn(`training of guild ${this.guildId}: a progress listener failed`, err));

  constructor(
    readonly guildId: string,
    readonly request: GuildTrainingRequest,
    private readonly deps: TrainingDeps,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** Calls `listener` after every change (progress, checkpoint, phase); returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  /** While reading messages: how many were read and kept so far. */
  noteCollected(read: number, kept: number): void {
    this.collected = { read, kept };
    this.listeners.notify();
  }

  /**
   * Starts the worker on the guild's stored messages (or the given documents). Rejects with
   * TrainingError "not-enough-text" — and frees the guild — when there is too little text.
   */
  train(documents?: string[]): Promise<void> {
    if (this.phase !== "collecting" || this.starting)
      throw new Error(
        `the training of guild ${this.guildId} has already ${this.phase === "training" || this.starting ? "started" : "ended"}`,
      );
    this.starting = this.start(documents);
    return this.starting;
  }

  private async start(documents: string[] | undefined): Promise<void> {
    const { store } = this.deps;
    const docs = (documents ?? (await store.messages.texts(this.guildId))).filter((d) => d.trim().length > 0);
    // interrupted (bot shutdown, /admin wipe) while the texts were read: nothing starts
    if (this.interrupting) return this.finishInterrupted();
    const characters = docs.reduce((n, d) => n + d.length, 0);
    this.corpus = { messages: docs.length, characters };
    const shortfall = corpusShortfall(this.request, docs);
    if (shortfall) {
      this.end({ status: "cancelled" });
      throw new TrainingError(shortfall.message, "not-enough-text", shortfall.values);
    }

    // 1. the options (training-plan.ts)
    const options = trainingOptionsFor(this.request, docs, this.deps.overrides());
    this.trainOptions = options;
    // 2. the run in the store, 3. the worker
    const run = await store.runs.start(this.guildId, storedRunOptions(options, this.request, this.corpus));
    this.runId = run.id;
    if (this.interrupting) return this.finishInterrupted();
    this.phase = "training";
    try {
      this.job = this.deps.startJob(docs, options, {
        onProgress: (p) => this.guarded("progress", () => this.onProgress(p)),
        onCheckpoint: (bytes, p) => this.guarded("checkpoint", () => this.onCheckpoint(bytes, p)),
      });
    } catch (err) {
      await this.fail(err);
      return;
    }
    this.job.done
      .then(
        (summary) => this.complete(summary),
        (err: unknown) => this.fail(err),
      )
      .catch((err: unknown) => this.deps.warn(`training of guild ${this.guildId}: ending the run failed`, err));
    this.listeners.notify();
  }

  /** Before train(): gives the guild back (e.g. reading the messages failed or was stopped). */
  cancel(): void {
    if (this.phase === "collecting") this.end({ status: "cancelled" });
  }

  /** Asks for a graceful end: while collecting, the reader stops; while training, the worker stops after its step. */
  requestStop(): void {
    if (this.outcome) return;
    this.stopRequested = true;
    this.job?.stop();
    this.listeners.notify();
  }

  /**
   * Bot shutdown (or /admin wipe, `status` "wiped"): kill the worker now; the run is marked
   * interrupted and nothing is installed. Resolves once the training has ended.
   */
  async interrupt(status: "interrupted" | "wiped" = "interrupted"): Promise<void> {
    if (this.outcome) return;
    this.interrupting = status;
    this.stopRequested = true;
    // a start under way ends first: with a worker to kill, or having stopped itself (its failure is train()'s caller's)
    await this.starting?.catch(() => undefined);
    if (this.outcome) {
      await this.done;
    } else if (this.job) {
      await this.job.kill();
      await this.done;
    } else {
      this.end({ status });
    }
  }

  /** Resolves once the reports so far (loss points, checkpoints) are in the store, or were told failing. */
  async stored(): Promise<void> {
    await this.writes;
  }

  /** The numbers a progress message shows. */
  snapshot(): TrainingSnapshot {
    return trainingSnapshot(this);
  }

  // -------------------------------------------------------------------------------------------

  private onProgress(p: Progress): void {
    this.progress = p;
    this.record(p);
  }

  private onCheckpoint(bytes: Uint8Array, p: Progress): void {
    this.checkpointBytes = bytes;
    // kept with the run: if the process dies, /train start resume:true continues from here
    const runId = this.runId;
    if (runId !== null)
      this.write(`cannot keep the checkpoint of run ${runId} (guild ${this.guildId})`, () =>
        this.deps.store.runs.saveCheckpoint(runId, bytes),
      );
    this.lastCheckpoint = p;
    this.progress = p;
    this.record(p);
  }

  /** A point for the live curve and the store (one per step: a later report of a step replaces it). */
  private record(p: Progress): void {
    const point = recordPoint(this.points, p);
    const runId = this.runId;
    if (runId !== null && Number.isFinite(point.trainLoss)) {
      this.write(`cannot store a loss point of run ${runId} (guild ${this.guildId})`, () => this.deps.store.runs.addPoint(runId, point));
    }
    this.listeners.notify();
  }

  /** Queues a store write after the earlier ones; a failure is a warning (the training goes on). */
  private write(failure: string, write: () => Promise<unknown>): void {
    this.writes = this.writes.then(write).then(
      () => undefined,
      (err: unknown) => this.deps.warn(failure, err),
    );
  }

  /** The worker finished (all steps, out of time, or stopped on request): install its last checkpoint. */
  private async complete(summary: TrainingSummary): Promise<void> {
    if (this.interrupting) return this.finishInterrupted();
    const { store, registry } = this.deps;
    const runId = this.runId!;
    const bytes = this.checkpointBytes;
    const final = this.lastCheckpoint;
    if (bytes === null || final === null) return this.fail(new Error("the training ended without a checkpoint"));
    // 1. the reports' writes, then the whole curve (thinned), with the final evaluation last
    await this.writes;
    try {
      const curve = finalCurve(summary, final);
      await store.runs.addPoints(runId, curve);
      this.points.splice(0, this.points.length, ...curve);
    } catch (err) {
      this.deps.warn(`cannot store the loss curve of run ${runId} (guild ${this.guildId})`, err);
    }
    // 2. install (not once a shutdown or wipe began meanwhile): the previous model answers until
    //    this returns, and after it unless the new one is chosen
    if (this.interrupting) return this.finishInterrupted();
    let model: StoredModelInfo;
    let installation: InstallDecision;
    try {
      ({ info: model, decision: installation } = await registry.install(this.guildId, bytes, { runId }));
    } catch (err) {
      return this.fail(err);
    }
    try {
      await store.models.prune(this.guildId, this.deps.keepModels);
    } catch (err) {
      this.deps.warn(`cannot prune the old models of guild ${this.guildId}`, err);
    }
    const status = summary.stopped === "requested" ? "stopped" : "done";
    await this.finishRun(status, null);
    this.end({
      status,
      model,
      installation,
      step: final.step,
      totalSteps: summary.totalSteps,
      valLoss: final.valLoss,
      trainLoss: final.trainLoss,
      seconds: summary.seconds,
      tokensPerSecond: summary.tokensPerSecond,
      summary,
    });
  }

  private async fail(err: unknown): Promise<void> {
    if (this.interrupting) return this.finishInterrupted();
    const message = err instanceof Error ? err.message : String(err);
    await this.finishRun("failed", message);
    const tooFew = err instanceof CorpusTooSmallError ? err.counts : undefined;
    this.end({
      status: "failed",
      error: message,
      ...(tooFew && { tooFewTokens: { tokens: tooFew.tokens, preset: tooFew.preset, needed: tooFew.needed } }),
    });
  }

  private async finishInterrupted(): Promise<void> {
    await this.finishRun("interrupted", null);
    this.end({ status: this.interrupting ?? "interrupted" });
  }

  /** The run's end, written after the reports' writes. */
  private async finishRun(status: "done" | "stopped" | "failed" | "interrupted", error: string | null): Promise<void> {
    if (this.runId === null) return;
    await this.writes;
    try {
      await this.deps.store.runs.finish(this.runId, status, error);
    } catch (err) {
      this.deps.warn(`cannot finish run ${this.runId} (guild ${this.guildId}) as ${status}`, err);
    }
  }

  private end(o: Partial<TrainingOutcome> & { status: TrainingOutcome["status"] }): void {
    if (this.outcome) return;
    const p = this.lastCheckpoint ?? this.progress;
    this.outcome = {
      model: null,
      step: p?.step ?? 0,
      totalSteps: p && p.totalSteps < UNKNOWN_TOTAL ? p.totalSteps : null,
      valLoss: latestValLoss(this.points),
      trainLoss: p && Number.isFinite(p.trainLoss) ? p.trainLoss : null,
      seconds: p?.elapsedSeconds ?? 0,
      tokensPerSecond: p?.tokensPerSecond ?? 0,
      summary: null,
      error: null,
      ...o,
    };
    this.phase = this.outcome.status;
    this.checkpointBytes = null;
    this.deps.release();
    this.listeners.notify();
    this.resolveDone(this.outcome);
  }

  /** Runs a hook's work; a failure is reported, never passed to the worker's job (it would end the training). */
  private guarded(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.deps.warn(`training of guild ${this.guildId}: handling a ${what} report failed`, err);
    }
  }
}

/** Throws TrainingError "not-enough-memory" with the figures when fine-tuning `base` cannot fit. */
function checkBaseFits(base: TrainingBase, available: number | undefined): void {
  try {
    checkBaseMemory(base.config, available);
  } catch (err) {
    if (!(err instanceof MemoryTooSmallError)) throw err;
    throw new TrainingError(`cannot fine-tune ${base.name}: ${err.message}`, "not-enough-memory", { ...err.counts, base: base.name });
  }
}

/**
 * The loss curve of a training (live or stored) as a picture: the same one /model shows. With
 * the model the run installed (`kept`), its step is marked with the val loss its card shows.
 */
export function trainingLossPicture(
  points: readonly LossPoint[],
  totalSteps: number | null,
  modelName: string,
  lang: Lang,
  kept?: { step: number; valLoss: number | null } | null,
): Promise<Uint8Array> {
  return renderLossCurve({
    points: points.filter((p) => Number.isFinite(p.trainLoss)).map((p) => ({ ...p })),
    ...(totalSteps !== null && totalSteps < UNKNOWN_TOTAL && { totalSteps }),
    ...(kept && kept.valLoss !== null && { kept: { step: kept.step, valLoss: kept.valLoss } }),
    modelName,
    lang,
  });
}
