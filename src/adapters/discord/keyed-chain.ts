/**
 * Work run one after another per key (e.g. a guild's message edits and deletes, so the store
 * sees them in the order Discord sent them), while different keys run side by side.
 *
 *   const inOrder = keyedChain();
 *   inOrder(guildId, () => store.messages.updateText(guildId, id, text)).catch(report);
 *
 * Each call's promise is that work's own outcome; a failure does not stop the work after it.
 */
export function keyedChain(): <T>(key: string, work: () => Promise<T>) => Promise<T> {
  /** the last work queued per key (removed once it has settled and nothing came after it) */
  const tails = new Map<string, Promise<unknown>>();
  return (key, work) => {
    const before = tails.get(key) ?? Promise.resolve();
    const run = before.then(work);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}
