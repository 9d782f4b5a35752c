import type { StateStore } from '../open-state-store.js';
import { dataKey } from '../storage-keys.js';
import { decodeStoredEntry, isLive, type StoredEntry } from '../stored-entry.js';

/** The key's stored value, or undefined when missing or expired (even if not swept yet). */
export async function readLiveEntry(store: StateStore, keyspace: string, key: string, nowUnixMs: number): Promise<StoredEntry | undefined> {
  const stored = await store.get(dataKey(keyspace, key));
  if (stored === undefined) return undefined;
  const entry = decodeStoredEntry(stored);
  return isLive(entry, nowUnixMs) ? entry : undefined;
}
