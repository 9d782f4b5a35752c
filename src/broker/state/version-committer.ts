import type { StateStore, StoreOp } from './open-state-store.js';
import { VERSION_KEY } from './storage-keys.js';

/**
 * Hands out versions (etags) and writes the changes of write operations, grouped: every write
 * staged while a batch is being written goes into the next batch (group commit), each batch
 * together with the version counter.
 *
 * A staged change is visible at once through `view` (the store as the writers see it: what is
 * on disk plus what is staged), so a keyspace's next write need not wait for the disk; it is
 * durable, and its caller may answer, when its batch is written. Batches are written one after
 * another, so the persisted counter never goes down and a later change to a key never lands
 * before an earlier one. When a batch fails, the batch being gathered behind it fails too
 * without being written: its operations may have read the failed changes through `view`.
 *
 * Versions come from one counter for the whole store and are never handed out twice, also not
 * across a restart: every batch persists the counter as it stands when the batch is written.
 */
export interface VersionCommitter {
  /** A version no earlier call returned. */
  nextVersion(): number;
  /** Stages `ops` (visible through `view` at once); resolves once they are written, in a batch with the counter. */
  commit(ops: readonly StoreOp[]): Promise<void>;
  /** The store with the staged changes laid over it (get and getMany; the rest as the store). */
  readonly view: StateStore;
  /** When the staged change of `key` is written, if one is staged; undefined if none is. */
  durableOf(key: string): Promise<void> | undefined;
  /** Settles once every change staged so far is written (or failed). */
  idle(): Promise<void>;
  /** Reads the persisted counter again (after the store was reopened); never moves backwards. */
  resync(): Promise<void>;
}

async function readPersistedVersion(store: StateStore): Promise<number> {
  const stored = await store.get(VERSION_KEY);
  const version = stored === undefined ? 0 : Number(stored.toString('utf8'));
  if (!Number.isSafeInteger(version) || version < 0) throw new Error('the state store holds a corrupt version counter');
  return version;
}

interface Batch {
  readonly ops: StoreOp[];
  readonly written: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

/** A staged value: the bytes, or null for a deletion; and the batch that writes it. */
interface StagedValue {
  readonly value: Buffer | null;
  readonly batch: Batch;
}

function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const written = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Handled by each caller of commit(); this keeps a batch nobody awaits from being "unhandled".
  written.catch(() => undefined);
  return { ops: [], written, resolve, reject };
}

export async function loadVersionCommitter(store: StateStore): Promise<VersionCommitter> {
  let last = await readPersistedVersion(store);
  /** The batch taking new changes; written once `writing` is done. */
  let gathering: Batch | undefined;
  /** The batch being written. */
  let writing: Batch | undefined;
  const staged = new Map<string, StagedValue>();

  const forget = (batch: Batch): void => {
    for (const op of batch.ops) if (staged.get(op.key)?.batch === batch) staged.delete(op.key);
  };

  const writeNext = (): void => {
    if (writing || !gathering) return;
    const batch = gathering;
    gathering = undefined;
    writing = batch;
    store.write([...batch.ops, { type: 'put', key: VERSION_KEY, value: Buffer.from(String(last), 'utf8') }]).then(
      () => {
        writing = undefined;
        forget(batch);
        batch.resolve();
        writeNext();
      },
      (err: unknown) => {
        writing = undefined;
        forget(batch);
        batch.reject(err);
        // Gathered while this one was written: it may rest on what just failed.
        const behind = gathering;
        gathering = undefined;
        if (behind) {
          forget(behind);
          behind.reject(err);
        }
      },
    );
  };

  async function idle(): Promise<void> {
    while (writing || gathering) {
      await Promise.all([writing?.written.catch(() => undefined), gathering?.written.catch(() => undefined)]);
    }
  }

  const overlay = (key: string): Buffer | null | undefined => staged.get(key)?.value;

  const view: StateStore = {
    get(key) {
      const value = overlay(key);
      return value === undefined ? store.get(key) : Promise.resolve(value ?? undefined);
    },
    async getMany(keys) {
      const missing = keys.filter((k) => overlay(k) === undefined);
      const read = missing.length === 0 ? [] : await store.getMany(missing);
      let next = 0;
      return keys.map((k) => {
        const value = overlay(k);
        return value === undefined ? read[next++] : (value ?? undefined);
      });
    },
    entries: (range) => store.entries(range),
    keys: (range) => store.keys(range),
    write: (ops) => store.write(ops),
    reopen: () => store.reopen(),
    close: () => store.close(),
  };

  return {
    nextVersion: () => ++last,
    commit(ops) {
      if (ops.length === 0) return Promise.resolve();
      gathering ??= newBatch();
      const batch = gathering;
      for (const op of ops) {
        batch.ops.push(op);
        staged.set(op.key, { value: op.type === 'put' ? op.value : null, batch });
      }
      // A batch started within this tick takes the changes staged in it too.
      if (!writing) queueMicrotask(writeNext);
      return batch.written;
    },
    view,
    durableOf: (key) => staged.get(key)?.batch.written,
    idle,
    async resync() {
      last = Math.max(last, await readPersistedVersion(store));
    },
  };
}
