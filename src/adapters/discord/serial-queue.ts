/**
 * Runs jobs one at a time (model work shares two cores with everything else) and refuses a new
 * one when the jobs before it would keep it waiting too long, instead of piling up minutes of
 * work. The wait is estimated from the jobs it ran: waiting jobs × their mean duration (an
 * average that follows the recent ones), so fifty chat replies of a fast model are all taken,
 * while a slow model refuses sooner.
 */
export class QueueFullError extends Error {
  constructor(
    readonly waiting: number,
    readonly expectedWaitMs: number,
  ) {
    super(`the queue is full: ${waiting} jobs are waiting, about ${Math.round(expectedWaitMs / 1000)} s of work`);
  }
}

export interface SerialQueueOptions {
  /** refuse a job that would wait longer than this behind the others */
  maxWaitMs: number;
  /** and never hold more than this many, however fast they run */
  maxPending: number;
  /** the duration assumed before any job has run */
  firstEstimateMs: number;
  /** the clock (tests give their own) */
  now?: () => number;
}

/** weight of the newest job in the mean duration */
const RECENT_WEIGHT = 0.2;

export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private meanMs: number;
  private readonly now: () => number;

  constructor(private readonly options: SerialQueueOptions) {
    this.meanMs = options.firstEstimateMs;
    this.now = options.now ?? (() => performance.now());
  }

  get size(): number {
    return this.pending;
  }

  /** How long a job queued now would wait before it starts (the estimate the refusal uses). */
  get expectedWaitMs(): number {
    return this.pending * this.meanMs;
  }

  run<T>(job: () => Promise<T>): Promise<T> {
    const wait = this.expectedWaitMs;
    if (this.pending >= this.options.maxPending || wait > this.options.maxWaitMs) {
      return Promise.reject(new QueueFullError(this.pending, wait));
    }
    this.pending++;
    const timed = async () => {
      const started = this.now();
      try {
        return await job();
      } finally {
        this.meanMs += RECENT_WEIGHT * (this.now() - started - this.meanMs);
      }
    };
    const result = this.tail.then(timed).finally(() => {
      this.pending--;
    });
    this.tail = result.catch(() => undefined);
    return result;
  }
}
