/**
 * A reply that follows something long (a training): `poke()` after every change, and the
 * message is edited at most once per interval, one edit at a time, always with the newest
 * state. Discord allows about five edits per five seconds on one message; a picture every few
 * seconds is plenty for a loss curve and keeps the bot far from the limit.
 */
export const LIVE_EDIT_INTERVAL_MS = 4000;

export class LiveReply {
  private lastEditAt = -Infinity;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private dirty = false;
  private closed = false;

  /** `edit` shows the newest state; its errors go to `onError` (the next change tries again). */
  constructor(
    private readonly edit: () => Promise<void>,
    private readonly onError: (err: unknown) => void,
    private readonly intervalMs = LIVE_EDIT_INTERVAL_MS,
  ) {}

  /** Something changed: edit now if the last edit is old enough, else once the interval has passed. */
  poke(): void {
    if (this.closed) return;
    this.dirty = true;
    if (this.timer !== null || this.inFlight !== null) return;
    const wait = Math.max(0, this.lastEditAt + this.intervalMs - performance.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  /** No more live edits; waits for the one in flight (the caller then sends the final state). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  private flush(): void {
    this.timer = null;
    if (this.closed || !this.dirty) return;
    this.dirty = false;
    this.lastEditAt = performance.now();
    this.inFlight = this.edit()
      .catch((err: unknown) => this.onError(err))
      .finally(() => {
        this.inFlight = null;
        if (this.dirty) this.poke();
      });
  }
}
