/**
 * A binary max-heap of (count, pair key) entries for BPE training: the top is
 * the pair with the highest count, and among equal counts the smallest key
 * (lexicographically smallest pair of ids). Entries are never updated in place;
 * the trainer pushes a fresh entry whenever a count changes and throws away
 * stale entries when they surface ("lazy deletion").
 */
export class PairHeap {
  private readonly counts: number[] = [];
  private readonly keys: number[] = [];

  get size(): number {
    return this.counts.length;
  }

  push(count: number, key: number): void {
    this.counts.push(count);
    this.keys.push(key);
    this.siftUp(this.counts.length - 1);
  }

  /** The top entry without removing it; undefined when empty. */
  peek(): { count: number; key: number } | undefined {
    if (this.counts.length === 0) return undefined;
    return { count: this.counts[0]!, key: this.keys[0]! };
  }

  /** Remove the top entry. */
  pop(): void {
    const last = this.counts.length - 1;
    if (last < 0) return;
    this.swap(0, last);
    this.counts.pop();
    this.keys.pop();
    if (this.counts.length > 0) this.siftDown(0);
  }

  /** Whether entry i belongs above entry j. */
  private before(i: number, j: number): boolean {
    const ci = this.counts[i]!;
    const cj = this.counts[j]!;
    return ci > cj || (ci === cj && this.keys[i]! < this.keys[j]!);
  }

  private swap(i: number, j: number): void {
    const c = this.counts[i]!;
    this.counts[i] = this.counts[j]!;
    this.counts[j] = c;
    const k = this.keys[i]!;
    this.keys[i] = this.keys[j]!;
    this.keys[j] = k;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const n = this.counts.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (left < n && this.before(left, best)) best = left;
      if (right < n && this.before(right, best)) best = right;
      if (best === i) return;
      this.swap(i, best);
      i = best;
    }
  }
}
