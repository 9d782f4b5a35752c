/**
 * The order of the operations of one keyspace: the state service's single writer per keyspace,
 * with reads beside it. In each keyspace, in submission (arrival) order:
 * - a write runs its turn once the writes before it finished theirs and the reads before it
 *   finished; its turn ends when its changes are staged (the committer writes them later, in
 *   batches), so the next write does not wait for the disk;
 * - a read runs once the writes before it are durable (it sees them, and only what is
 *   durable), alongside the other reads.
 * Different keyspaces run concurrently.
 */
export interface KeyspaceQueue {
  /** A write: resolves with `task`'s result once its turn ran; `durable` is awaited by the reads after it. */
  write<T>(keyspace: string, task: () => Promise<Staged<T>>): Promise<Staged<T>>;
  /** A read: runs after the writes submitted before it are durable, concurrently with other reads. */
  read<T>(keyspace: string, task: () => Promise<T>): Promise<T>;
  /** A write that is durable when `task` settles (the sweeper's deletions). */
  run<T>(keyspace: string, task: () => Promise<T>): Promise<T>;
  /**
   * Runs `task` once everything submitted before it has settled (writes durable); everything
   * submitted after it waits for it (used to reopen the store with nothing under way).
   */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  /** Settles once everything submitted so far has settled (writes durable). */
  idle(): Promise<void>;
}

/** A write's result and when its changes are on disk (undefined: they were when the turn ended). */
export interface Staged<T> {
  readonly result: T;
  readonly durable?: Promise<unknown>;
}

interface Lane {
  /** The last write's turn has ended (never rejects). */
  turn: Promise<void>;
  /** The last write is durable, or failed (never rejects). */
  durable: Promise<void>;
  /** Reads submitted since the last write (settled ones removed). */
  readonly reads: Set<Promise<void>>;
  /** Operations submitted and not yet settled (durable for writes); the lane goes at 0. */
  open: number;
}

const ignore = (): void => undefined;
const DONE = Promise.resolve();

export function createKeyspaceQueue(): KeyspaceQueue {
  const lanes = new Map<string, Lane>();
  /** The settling of the last exclusive task (never rejects). */
  let barrier: Promise<void> = DONE;

  const lane = (keyspace: string): Lane => {
    let l = lanes.get(keyspace);
    if (!l) {
      l = { turn: DONE, durable: DONE, reads: new Set(), open: 0 };
      lanes.set(keyspace, l);
    }
    l.open += 1;
    return l;
  };
  const release = (keyspace: string, l: Lane): void => {
    l.open -= 1;
    if (l.open === 0 && lanes.get(keyspace) === l) lanes.delete(keyspace);
  };
  /** Everything now under way, writes until durable. */
  const everything = (): Promise<unknown> => Promise.all([barrier, ...[...lanes.values()].flatMap((l) => [l.turn, l.durable, ...l.reads])]);

  const write = <T>(keyspace: string, task: () => Promise<Staged<T>>): Promise<Staged<T>> => {
    const l = lane(keyspace);
    const before = l.reads.size === 0 ? Promise.all([l.turn, barrier]) : Promise.all([l.turn, barrier, ...l.reads]);
    l.reads.clear();
    const staged = before.then(task);
    l.turn = staged.then(ignore, ignore);
    const durable = staged.then((s) => s.durable).then(ignore, ignore);
    // Only the reads after this write wait for it; the next write waits for its turn alone.
    l.durable = Promise.all([l.durable, durable]).then(ignore);
    void durable.then(() => release(keyspace, l));
    return staged;
  };

  return {
    write,
    read(keyspace, task) {
      const l = lane(keyspace);
      const result = Promise.all([l.durable, barrier]).then(task);
      const settled = result.then(ignore, ignore);
      l.reads.add(settled);
      void settled.then(() => {
        l.reads.delete(settled);
        release(keyspace, l);
      });
      return result;
    },
    async run(keyspace, task) {
      const staged = await write(keyspace, async () => ({ result: await task() }));
      return staged.result;
    },
    exclusive(task) {
      const result = everything().then(task);
      barrier = result.then(ignore, ignore);
      return result;
    },
    async idle() {
      await everything();
    },
  };
}
