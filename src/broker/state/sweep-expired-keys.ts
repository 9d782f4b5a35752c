import type { KeyspaceQueue } from './keyspace-queue.js';
import type { StateStore, StoreOp } from './open-state-store.js';
import { parseTtlKey, ttlRangeUntil } from './storage-keys.js';
import { decodeStoredEntry } from './stored-entry.js';
import type { VersionCommitter } from './version-committer.js';

const SWEEP_BATCH = 1000;

interface DueEntry {
  readonly indexKey: string;
  readonly dataKey: string;
  readonly expireAtUnixMs: number;
}

/** Deletes the due keys of one keyspace (run in its queue, so no write of it is under way). */
async function removeDue(store: StateStore, committer: VersionCommitter, due: readonly DueEntry[]): Promise<number> {
  const stored = await store.getMany(due.map((d) => d.dataKey));
  const ops: StoreOp[] = [];
  due.forEach((d, i) => {
    ops.push({ type: 'del', key: d.indexKey });
    const value = stored[i];
    // The index entry may be stale (the key was rewritten meanwhile): then only the entry goes.
    if (value !== undefined && decodeStoredEntry(value).expireAtUnixMs === d.expireAtUnixMs) ops.push({ type: 'del', key: d.dataKey });
  });
  await committer.commit(ops);
  return ops.length - due.length;
}

/**
 * Removes the keys whose TTL ran out at or before `nowUnixMs` (readers already treat them as
 * gone), through each keyspace's queue; resolves with how many were removed.
 */
export async function sweepExpiredKeys(store: StateStore, queue: KeyspaceQueue, committer: VersionCommitter, nowUnixMs: number): Promise<number> {
  let removed = 0;
  for (;;) {
    const byKeyspace = new Map<string, DueEntry[]>();
    let count = 0;
    for await (const indexKey of store.keys({ ...ttlRangeUntil(nowUnixMs), limit: SWEEP_BATCH })) {
      const { dataKey, keyspace, expireAtUnixMs } = parseTtlKey(indexKey);
      const list = byKeyspace.get(keyspace) ?? [];
      list.push({ indexKey, dataKey, expireAtUnixMs });
      byKeyspace.set(keyspace, list);
      count += 1;
    }
    const counts = await Promise.all([...byKeyspace].map(([keyspace, due]) => queue.run(keyspace, () => removeDue(store, committer, due))));
    removed += counts.reduce((a, b) => a + b, 0);
    if (count < SWEEP_BATCH) return removed;
  }
}
