/**
 * The bot's trainings with DATABASE_URL: /train start queues a fresh model for `npm run worker`
 * (RemoteTrainings), and follows it as it follows an in-process one. Fine-tuning a base and
 * resuming a run still train in this process's worker thread (TrainingService), as without the
 * queue; either way a guild has one training at a time.
 *
 *   const trainings = await QueuedTrainings.open({ databaseUrl, store, local: new TrainingService(…) });
 *   const t = await trainings.begin(guildId, { preset: "tiny", minutes: 5 });  // a RemoteTraining
 *   trainings.onInstalled((guildId) => registry.forget(guildId));               // a worker installed a model
 */
import { type GuildTrainingRequest, type Training, TrainingError, type Trainings, type TrainingService } from "../app/training-service.ts";
import { type RemoteTraining, RemoteTrainings, type RemoteTrainingsOptions } from "./remote-training.ts";
import type { JobReply } from "./schema.ts";

export interface QueuedTrainingsOptions extends RemoteTrainingsOptions {
  /** fine-tunings and resumed runs */
  local: TrainingService;
}

export class QueuedTrainings implements Trainings {
  /** guilds between the checks of begin() and their reservation */
  private readonly beginning = new Set<string>();

  constructor(
    readonly remote: RemoteTrainings,
    private readonly local: TrainingService,
  ) {}

  static async open(options: QueuedTrainingsOptions): Promise<QueuedTrainings> {
    return new QueuedTrainings(await RemoteTrainings.open(options), options.local);
  }

  async begin(guildId: string, request: GuildTrainingRequest): Promise<Training> {
    if (this.beginning.has(guildId)) throw new TrainingError(`guild ${guildId} is already starting a training`, "already-training", {});
    this.beginning.add(guildId);
    try {
      const here = this.local.current(guildId);
      if (here) throw new TrainingError(`guild ${guildId} is already training a model`, "already-training", {}, here);
      // 1. fine-tuning, resuming: this process, once no queued training holds the guild
      if (request.base || request.resumeFrom) {
        const queued = await this.remote.attach(guildId);
        if (queued) throw new TrainingError(`guild ${guildId} is already training a model`, "already-training", {}, queued);
        return this.local.begin(guildId, request);
      }
      // 2. a fresh model: the queue (its row is the one-per-guild rule across processes)
      return await this.remote.begin(guildId, {
        preset: request.preset,
        minutes: request.minutes,
        ...(request.seed !== undefined && { seed: request.seed }),
      });
    } finally {
      this.beginning.delete(guildId);
    }
  }

  async current(guildId: string): Promise<Training | undefined> {
    return this.local.current(guildId) ?? (await this.remote.attach(guildId));
  }

  async stop(guildId: string): Promise<Training | undefined> {
    const here = this.local.stop(guildId);
    if (here) return here;
    const queued = await this.remote.attach(guildId);
    await queued?.requestStop();
    return queued;
  }

  async discard(guildId: string): Promise<void> {
    await this.local.discard(guildId);
    await this.remote.discard(guildId);
  }

  /**
   * After a restart, for this process's guilds: a training whose messages were being read by the
   * process that died is cancelled (nothing was queued); the queued and running ones are
   * followed again, with where their /train message is (null when it was not recorded).
   */
  async followAgain(guildIds: readonly string[]): Promise<{ training: RemoteTraining; reply: JobReply | null }[]> {
    const found: { training: RemoteTraining; reply: JobReply | null }[] = [];
    for (const guildId of await this.remote.queue.activeGuilds(guildIds)) {
      const row = await this.remote.queue.job(guildId);
      if (row?.phase === "collecting") {
        await this.remote.queue.cancel(guildId, "the bot restarted while it was reading the messages");
        continue;
      }
      const training = await this.remote.attach(guildId);
      if (training) found.push({ training, reply: row?.reply ?? null });
    }
    return found;
  }

  onInstalled(listener: (guildId: string, modelId: number, switched: boolean) => void): () => void {
    return this.remote.onInstalled(listener);
  }

  /** In-process trainings end (their runs interrupted); queued ones go on, on their workers. */
  async shutdown(): Promise<void> {
    await this.local.shutdown();
    await this.remote.close();
  }
}
