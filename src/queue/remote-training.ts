/**
 * The bot's side of a queued training: the same shape as the in-process GuildTraining
 * (training-service.ts: phase, progress, curve points, snapshot(), subscribe(), done), fed by
 * the queue's notifications (schema.ts CHANNELS) and by reading the job's row and its run.
 *
 *   const trainings = await RemoteTrainings.open({ databaseUrl, store });
 *   const t = await trainings.begin(guildId, { preset: "tiny", minutes: 5 }); // TrainingError "already-training"
 *   t.noteCollected(read, kept);                                              // while reading messages
 *   await t.train();                                                          // TrainingError "not-enough-text"; queued
 *   const off = t.subscribe(() => show(t.snapshot()));                        // snapshot().queued until a worker has it
 *   const outcome = await t.done;                                             // never rejects
 *   trainings.onInstalled((guildId, modelId, switched) => registry.forget(guildId));
 */
import type { LossPoint, Progress } from "../train/trainer.ts";
import { corpusShortfall, recordPoint, type TrainingState, trainingSnapshot } from "../app/training-plan.ts";
import {
  TrainingError,
  type TrainingOutcome,
  type TrainingOverrides,
  type TrainingPhase,
  type TrainingSnapshot,
  type Training,
} from "../app/training-service.ts";
import type { TrainingSummary } from "../app/training-job.ts";
import type { AsyncStore } from "../store/async-store.ts";
import type { StoredOutcome } from "./job-runner.ts";
import { Notifications } from "./notifications.ts";
import { ACTIVE_PHASES, CHANNELS, type JobReply, type JobRow } from "./schema.ts";
import { openTrainingQueue, type QueuedRequest, type QueueSettings, type TrainingQueue } from "./training-queue.ts";
import { Listeners } from "../app/listeners.ts";

export type RemoteStore = Pick<AsyncStore, "messages" | "runs" | "models">;

/** What a progress message shows of a queued training: the in-process snapshot, and where the job is. */
export type RemoteSnapshot = TrainingSnapshot & { queue: NonNullable<TrainingSnapshot["queue"]> };

export interface RemoteTrainingsOptions {
  databaseUrl: string;
  store: RemoteStore;
  queue?: QueueSettings;
  /** for tests and benchmarks: a fixed number of steps and so on, carried by each job */
  overrides?: TrainingOverrides;
  onWarning?: (message: string, error?: unknown) => void;
}

/** TrainingError "already-training" with the queued training that holds the guild (when it could be read). */
export class AlreadyTrainingRemotely extends TrainingError {
  constructor(
    message: string,
    readonly remote: RemoteTraining | undefined,
  ) {
    super(message, "already-training", {}, remote);
  }
}

export class RemoteTrainings {
  private readonly live = new Map<string, RemoteTraining>();
  private readonly installed = new Set<(guildId: string, modelId: number, switched: boolean) => void>();

  private constructor(
    readonly queue: TrainingQueue,
    private readonly notifications: Notifications,
    private readonly options: RemoteTrainingsOptions,
  ) {
    const route = (channel: "progress" | "checkpoint" | "end") => (p: Record<string, unknown>) =>
      this.live.get(String(p.guildId))?.heard(channel, p);
    notifications.on(CHANNELS.progress, route("progress"));
    notifications.on(CHANNELS.checkpoint, route("checkpoint"));
    notifications.on(CHANNELS.end, route("end"));
    notifications.on(CHANNELS.installed, (p) => {
      for (const listener of [...this.installed]) listener(String(p.guildId), Number(p.modelId), p.switched === true);
    });
    notifications.onReconnect(() => {
      for (const t of this.live.values()) t.heard("reconnect", {});
    });
  }

  static async open(options: RemoteTrainingsOptions): Promise<RemoteTrainings> {
    const warn = (m: string, e?: unknown) => options.onWarning?.(m, e);
    const queue = await openTrainingQueue(options.databaseUrl, { supervise: false, onError: warn, ...options.queue });
    try {
      return new RemoteTrainings(queue, await Notifications.open(options.databaseUrl, warn), options);
    } catch (err) {
      await queue.close();
      throw err;
    }
  }

  /** The guild's training followed by this process, if any. */
  current(guildId: string): RemoteTraining | undefined {
    return this.live.get(guildId);
  }

  /** Reserves the guild (TrainingError "already-training", with this process's training when it follows it). */
  async begin(guildId: string, request: QueuedRequest): Promise<RemoteTraining> {
    try {
      await this.queue.reserve(guildId, request, this.options.overrides);
    } catch (err) {
      if (err instanceof TrainingError && err.code === "already-training") {
        throw new AlreadyTrainingRemotely(err.message, this.live.get(guildId) ?? (await this.attach(guildId)));
      }
      throw err;
    }
    return this.follow(guildId, request);
  }

  /** Follows a guild's active job started by another process (or before a restart); undefined when none is active. */
  async attach(guildId: string): Promise<RemoteTraining | undefined> {
    const known = this.live.get(guildId);
    if (known) return known;
    const row = await this.queue.job(guildId);
    if (!row || !(ACTIVE_PHASES as readonly string[]).includes(row.phase)) return undefined;
    const t = this.follow(guildId, row.request as QueuedRequest);
    t.heard("reconnect", {});
    await t.settled();
    return t;
  }

  /** /train stop: false when the guild has no active training. */
  async stop(guildId: string): Promise<boolean> {
    const stopping = await this.queue.requestStop(guildId);
    this.live.get(guildId)?.noteStopRequested();
    return stopping;
  }

  /** /admin wipe, before the guild's data is deleted: its training ends "wiped", nothing it trained is installed. */
  async discard(guildId: string): Promise<boolean> {
    return this.queue.discard(guildId);
  }

  onInstalled(listener: (guildId: string, modelId: number, switched: boolean) => void): () => void {
    this.installed.add(listener);
    return () => this.installed.delete(listener);
  }

  async close(): Promise<void> {
    await this.notifications.close();
    await this.queue.close();
  }

  private follow(guildId: string, request: QueuedRequest): RemoteTraining {
    const t = new RemoteTraining(guildId, request, this.queue, this.options.store, {
      warn: (m, e) => this.options.onWarning?.(m, e),
      release: () => {
        if (this.live.get(guildId) === t) this.live.delete(guildId);
      },
    });
    this.live.set(guildId, t);
    return t;
  }
}

/** One guild's queued training as the bot sees it. */
export class RemoteTraining implements TrainingState, Training {
  phase: TrainingPhase = "collecting";
  readonly startedAt = Date.now();
  collected = { read: 0, kept: 0 };
  corpus: { messages: number; characters: number } | null = null;
  runId: number | null = null;
  jobId: string | null = null;
  attempt = 0;
  resumedFromStep: number | null = null;
  queued = false;
  progress: Progress | null = null;
  readonly points: LossPoint[] = [];
  lastCheckpoint: Progress | null = null;
  stopRequested = false;
  outcome: TrainingOutcome | null = null;
  readonly done: Promise<TrainingOutcome>;
  readonly trainOptions: { steps?: number; minutes?: number };

  private resolveDone!: (o: TrainingOutcome) => void;
  private readonly listeners = new Listeners((err) => this.deps.warn(`training of guild ${this.guildId}: a progress listener failed`, err));
  /** notifications are handled one after another (some read the database) */
  private handling: Promise<void> = Promise.resolve();

  constructor(
    readonly guildId: string,
    readonly request: QueuedRequest,
    private readonly queue: TrainingQueue,
    private readonly store: RemoteStore,
    private readonly deps: { warn: (m: string, e?: unknown) => void; release: () => void },
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.trainOptions = { minutes: request.minutes };
  }

  subscribe(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  noteCollected(read: number, kept: number): void {
    this.collected = { read, kept };
    this.listeners.notify();
  }

  /** Checks the guild's stored text (as GuildTraining.train does), then queues the job. */
  async train(): Promise<void> {
    if (this.phase !== "collecting")
      throw new Error(`the training of guild ${this.guildId} has already ${this.outcome ? "ended" : "started"}`);
    const docs = (await this.store.messages.texts(this.guildId)).filter((d) => d.trim().length > 0);
    this.corpus = { messages: docs.length, characters: docs.reduce((n, d) => n + d.length, 0) };
    const shortfall = corpusShortfall({ preset: this.request.preset, minutes: this.request.minutes }, docs);
    if (shortfall) {
      await this.cancel(shortfall.message);
      throw new TrainingError(shortfall.message, "not-enough-text", shortfall.values);
    }
    const row = await this.queue.enqueue(this.guildId);
    this.jobId = row.job_id;
    this.phase = "training";
    this.queued = true;
    this.listeners.notify();
  }

  /** Before train(): gives the guild back. */
  async cancel(error: string | null = null): Promise<void> {
    if (this.phase !== "collecting") return;
    await this.queue.cancel(this.guildId, error);
    this.finish({ status: "cancelled", error });
  }

  async requestStop(): Promise<void> {
    if (this.outcome) return;
    this.noteStopRequested();
    await this.queue.requestStop(this.guildId);
  }

  noteStopRequested(): void {
    if (this.outcome || this.stopRequested) return;
    this.stopRequested = true;
    this.listeners.notify();
  }

  async showIn(reply: JobReply): Promise<void> {
    await this.queue.setReply(this.guildId, reply);
  }

  snapshot(): RemoteSnapshot {
    return { ...trainingSnapshot(this), queue: { waiting: this.queued, attempt: this.attempt, resumedFromStep: this.resumedFromStep } };
  }

  /** Resolves once the notifications heard so far are handled. */
  settled(): Promise<void> {
    return this.handling;
  }

  /** A notification about this guild (or a reconnection): handled in order. */
  heard(what: "progress" | "checkpoint" | "end" | "reconnect", p: Record<string, unknown>): void {
    if (this.outcome) return;
    if (what !== "reconnect" && this.jobId !== null && p.jobId !== this.jobId && p.jobId !== null) return;
    this.handling = this.handling
      .then(() => this.handle(what, p))
      .catch((err) => this.deps.warn(`the training of guild ${this.guildId}: following its ${what} failed`, err));
  }

  private async handle(what: "progress" | "checkpoint" | "end" | "reconnect", p: Record<string, unknown>): Promise<void> {
    if (this.outcome) return;
    // a new run (a worker took the job, or took it again after its worker died), a reconnection: read the row and the run's curve
    if (what === "reconnect" || what === "end" || (p.runId !== undefined && p.runId !== this.runId)) await this.reload();
    else if (what === "progress" && p.progress) {
      this.progress = p.progress as Progress;
      recordPoint(this.points, this.progress);
    } else if (what === "checkpoint") {
      const row = await this.queue.job(this.guildId);
      if (row?.checkpoint) {
        this.lastCheckpoint = row.checkpoint as Progress;
        recordPoint(this.points, this.lastCheckpoint);
      }
    }
    this.listeners.notify();
  }

  /** Everything from the row, the curve from the run; an ended row becomes the outcome. */
  private async reload(): Promise<void> {
    const row = await this.queue.job(this.guildId);
    if (!row || (this.jobId !== null && row.job_id !== this.jobId)) {
      this.finish({ status: "interrupted", error: "the job is no longer in the queue" });
      return;
    }
    this.apply(row);
    if (row.run_id !== null) {
      const stored = await this.store.runs.points(this.guildId, row.run_id);
      this.points.splice(0, this.points.length, ...stored);
    }
    if (!(ACTIVE_PHASES as readonly string[]).includes(row.phase)) await this.ended(row);
  }

  private apply(row: JobRow): void {
    this.jobId = row.job_id;
    this.queued = row.phase === "queued" || row.run_id === null;
    if (row.phase !== "collecting") this.phase = "training";
    this.runId = row.run_id;
    this.attempt = row.attempt;
    this.resumedFromStep = row.resumed_from_step;
    this.stopRequested ||= row.stop_requested;
    this.corpus = row.corpus ?? this.corpus;
    if (row.progress) this.progress = row.progress as Progress;
    if (row.checkpoint) this.lastCheckpoint = row.checkpoint as Progress;
  }

  private async ended(row: JobRow): Promise<void> {
    const o = (row.outcome ?? { status: row.phase }) as StoredOutcome;
    const model = o.modelId != null ? ((await this.store.models.list(this.guildId)).find((m) => m.id === o.modelId) ?? null) : null;
    this.finish({
      status: o.status,
      model,
      ...(o.installation !== undefined && { installation: o.installation as TrainingOutcome["installation"] }),
      step: o.step ?? this.progress?.step ?? 0,
      totalSteps: o.totalSteps ?? null,
      valLoss: o.valLoss ?? null,
      trainLoss: o.trainLoss ?? null,
      seconds: o.seconds ?? 0,
      tokensPerSecond: o.tokensPerSecond ?? 0,
      summary: o.summary ? ({ ...o.summary, curve: [...this.points] } as TrainingSummary) : null,
      error: o.error ?? null,
      ...(o.tooFewTokens && { tooFewTokens: o.tooFewTokens }),
    });
  }

  private finish(o: Partial<TrainingOutcome> & { status: TrainingOutcome["status"] }): void {
    if (this.outcome) return;
    this.outcome = {
      model: null,
      step: this.progress?.step ?? 0,
      totalSteps: null,
      valLoss: null,
      trainLoss: null,
      seconds: 0,
      tokensPerSecond: 0,
      summary: null,
      error: null,
      ...o,
    };
    this.phase = this.outcome.status;
    this.queued = false;
    this.deps.release();
    this.listeners.notify();
    this.resolveDone(this.outcome);
  }
}
