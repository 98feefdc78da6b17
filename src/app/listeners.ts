/**
 * The listeners of something that changes (a training's progress): `add` returns the
 * unsubscribe; `notify` calls each in turn, and one that throws is reported, never stopping
 * the others or the caller.
 */
export class Listeners {
  private readonly all = new Set<() => void>();

  constructor(private readonly onFailure: (err: unknown) => void) {}

  add(listener: () => void): () => void {
    this.all.add(listener);
    return () => this.all.delete(listener);
  }

  notify(): void {
    for (const listener of [...this.all]) {
      try {
        listener();
      } catch (err) {
        this.onFailure(err);
      }
    }
  }
}
