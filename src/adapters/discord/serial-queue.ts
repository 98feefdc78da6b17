/**
 * Runs jobs one at a time (model work shares two cores with everything else) and refuses new
 * ones when too many are waiting, instead of piling up minutes of work.
 */
export class QueueFullError extends Error {
  constructor(readonly waiting: number) {
    super(`the queue is full: ${waiting} jobs are waiting`);
  }
}

export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(private readonly maxPending: number) {}

  get size(): number {
    return this.pending;
  }

  run<T>(job: () => Promise<T>): Promise<T> {
    if (this.pending >= this.maxPending) return Promise.reject(new QueueFullError(this.pending));
    this.pending++;
    const result = this.tail.then(job).finally(() => {
      this.pending--;
    });
    this.tail = result.catch(() => undefined);
    return result;
  }
}
