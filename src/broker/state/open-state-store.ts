import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ClassicLevel } from 'classic-level';
import type { KeyRange } from './storage-keys.js';

export type StoreOp = { readonly type: 'put'; readonly key: string; readonly value: Buffer } | { readonly type: 'del'; readonly key: string };

export interface StoreRange extends Partial<KeyRange> {
  /** At most this many entries. */
  readonly limit?: number;
}

/**
 * The state service's LevelDB, seen through the few calls the engine makes (so tests can put a
 * faulty store in its place). Every write is one atomic batch.
 */
export interface StateStore {
  get(key: string): Promise<Buffer | undefined>;
  getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]>;
  /** Entries in key order. */
  entries(range: StoreRange): AsyncIterable<[string, Buffer]>;
  /** Keys in key order. */
  keys(range: StoreRange): AsyncIterable<string>;
  /** Applies every op or none. */
  write(ops: readonly StoreOp[]): Promise<void>;
  /**
   * Closes and opens the database again: LevelDB refuses every write after some failures (a
   * failed compaction or sync, e.g. on a full disk) until it is reopened.
   */
  reopen(): Promise<void>;
  /** Idempotent. */
  close(): Promise<void>;
}

type Db = ClassicLevel<string, Buffer>;

function createDb(location: string): Db {
  return new ClassicLevel<string, Buffer>(location, { keyEncoding: 'utf8', valueEncoding: 'buffer', createIfMissing: true });
}

interface GetWaiter {
  readonly key: string;
  resolve(value: Buffer | undefined): void;
  reject(err: unknown): void;
}

/**
 * `get` that reads the keys asked for within one turn of the event loop with one `getMany`:
 * each classic-level read costs the event loop a worker, a snapshot and a thread-pool round
 * trip, so under load (many requests in flight) this is several times cheaper than a `get` each
 * (bench/README.md, B4). A lone read waits for nothing but the end of the current turn.
 */
function batchedGet(db: () => Db): (key: string) => Promise<Buffer | undefined> {
  let waiting: GetWaiter[] = [];
  const flush = (): void => {
    const batch = waiting;
    waiting = [];
    db()
      .getMany(batch.map((w) => w.key))
      .then(
        (values) => batch.forEach((w, i) => w.resolve(values[i])),
        (err: unknown) => batch.forEach((w) => w.reject(err)),
      );
  };
  return (key) =>
    new Promise((resolve, reject) => {
      if (waiting.length === 0) setImmediate(flush);
      waiting.push({ key, resolve, reject });
    });
}

/**
 * Creates `dataDir` if missing and opens the LevelDB in it (exclusively: a second process on
 * the same folder fails with LEVEL_LOCKED in the error's cause).
 *
 * Writes are not fsync'ed: a batch is in the OS once the write resolves, so it survives a crash
 * or kill -9 of the process, not a power loss (the same trade-off as the broker's own store).
 */
export async function openStateStore(dataDir: string): Promise<StateStore> {
  const location = resolve(dataDir);
  await mkdir(location, { recursive: true });
  let db = createDb(location);
  await db.open();
  let closing: Promise<void> | undefined;
  const get = batchedGet(() => db);

  return {
    get,
    getMany: (keys) => db.getMany(keys as string[]),
    entries: (range) => db.iterator(range),
    keys: (range) => db.keys(range),
    write: (ops) => db.batch(ops as StoreOp[]),
    async reopen() {
      if (closing) throw new Error('the state store is closed');
      await db.close();
      db = createDb(location);
      await db.open();
    },
    close: () => (closing ??= db.close()),
  };
}
