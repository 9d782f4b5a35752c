import type { StateStore, StoreOp } from './open-state-store.js';
import { VERSION_KEY } from './storage-keys.js';

/**
 * Hands out versions (etags) and writes batches, each batch together with the version counter.
 *
 * Versions come from one counter for the whole store and are never handed out twice, also not
 * across a restart: every batch persists the counter as it stands when the batch is written.
 * Batches are written one after another in the order `commit` was called, so the persisted
 * counter never goes down even when keyspaces commit concurrently (LevelDB could otherwise
 * apply two in-flight batches in either order).
 */
export interface VersionCommitter {
  /** A version no earlier call returned. */
  nextVersion(): number;
  /** Writes `ops` plus the counter in one atomic batch. */
  commit(ops: readonly StoreOp[]): Promise<void>;
  /** Reads the persisted counter again (after the store was reopened); never moves backwards. */
  resync(): Promise<void>;
}

async function readPersistedVersion(store: StateStore): Promise<number> {
  const stored = await store.get(VERSION_KEY);
  const version = stored === undefined ? 0 : Number(stored.toString('utf8'));
  if (!Number.isSafeInteger(version) || version < 0) throw new Error('the state store holds a corrupt version counter');
  return version;
}

export async function loadVersionCommitter(store: StateStore): Promise<VersionCommitter> {
  let last = await readPersistedVersion(store);
  let tail: Promise<unknown> = Promise.resolve();

  return {
    nextVersion: () => ++last,
    commit(ops) {
      const written = tail.then(() =>
        store.write([...ops, { type: 'put', key: VERSION_KEY, value: Buffer.from(String(last), 'utf8') }]),
      );
      tail = written.catch(() => undefined);
      return written;
    },
    async resync() {
      last = Math.max(last, await readPersistedVersion(store));
    },
  };
}
