/**
 * Runs the operations of one keyspace one after another, in the order they were submitted,
 * and those of different keyspaces concurrently: the state service's single writer per keyspace.
 */
export interface KeyspaceQueue {
  run<T>(keyspace: string, task: () => Promise<T>): Promise<T>;
  /**
   * Runs `task` once everything submitted before it has settled; everything submitted after it
   * waits for it (used to reopen the store with nothing under way).
   */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  /** Settles once everything submitted so far has settled. */
  idle(): Promise<void>;
}

const ignore = (): void => undefined;

export function createKeyspaceQueue(): KeyspaceQueue {
  /** Per keyspace, the settling of its last task (never rejects). */
  const tails = new Map<string, Promise<void>>();
  /** The settling of the last exclusive task (never rejects). */
  let barrier: Promise<void> = Promise.resolve();

  return {
    run(keyspace, task) {
      const before = Promise.all([tails.get(keyspace), barrier]);
      const result = before.then(task);
      const tail = result.then(ignore, ignore);
      tails.set(keyspace, tail);
      void tail.then(() => {
        if (tails.get(keyspace) === tail) tails.delete(keyspace);
      });
      return result;
    },
    exclusive(task) {
      const result = Promise.all([...tails.values(), barrier]).then(task);
      barrier = result.then(ignore, ignore);
      return result;
    },
    async idle() {
      await Promise.all([...tails.values(), barrier]);
    },
  };
}
