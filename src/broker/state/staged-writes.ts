import type { StateStore, StoreOp } from './open-state-store.js';
import { dataKey, ttlKey } from './storage-keys.js';
import { decodeStoredEntry, encodeStoredEntry, isLive, type StoredEntry } from './stored-entry.js';

export interface NewValue {
  readonly data: Buffer;
  readonly contentType: string;
  /** Unix ms; 0 = never. */
  readonly expireAtUnixMs: number;
}

/**
 * The writes of one operation (Set, BulkSet, Transact, ...) in one keyspace, staged in memory
 * over the store: each read sees the writes staged before it, so later operations of a
 * transaction see earlier ones; `toOps()` turns them into one batch (data and TTL index).
 * Only valid while the keyspace's queue runs this operation.
 */
export class StagedWrites {
  /** Per data key, what the store held when first read (expired or not). */
  private readonly stored = new Map<string, StoredEntry | undefined>();
  /** Per data key, the staged result; null = deleted. */
  private readonly staged = new Map<string, StoredEntry | null>();

  constructor(
    private readonly store: StateStore,
    readonly keyspace: string,
    readonly nowUnixMs: number,
    private readonly nextVersion: () => number,
  ) {}

  /** Reads the stored values of `keys` in one call (bulk operations), for `current` to find. */
  async prefetch(keys: readonly string[]): Promise<void> {
    const missing = [...new Set(keys.map((k) => dataKey(this.keyspace, k)))].filter((k) => !this.stored.has(k));
    if (missing.length === 0) return;
    const values = await this.store.getMany(missing);
    missing.forEach((k, i) => {
      const value = values[i];
      this.stored.set(k, value === undefined ? undefined : decodeStoredEntry(value));
    });
  }

  /** The key's value as this operation sees it: undefined when missing, deleted or expired. */
  async current(key: string): Promise<StoredEntry | undefined> {
    const k = dataKey(this.keyspace, key);
    const entry = this.staged.has(k) ? (this.staged.get(k) ?? undefined) : await this.storedEntry(k);
    return entry !== undefined && isLive(entry, this.nowUnixMs) ? entry : undefined;
  }

  /** Stages a new value under a new version; returns the version. */
  async put(key: string, value: NewValue): Promise<number> {
    const k = dataKey(this.keyspace, key);
    await this.storedEntry(k);
    const version = this.nextVersion();
    this.staged.set(k, { ...value, version });
    return version;
  }

  async remove(key: string): Promise<void> {
    const k = dataKey(this.keyspace, key);
    await this.storedEntry(k);
    this.staged.set(k, null);
  }

  /** The batch: per touched key, its old TTL index entry removed, then the new value and index. */
  toOps(): StoreOp[] {
    const ops: StoreOp[] = [];
    for (const [k, next] of this.staged) {
      const before = this.stored.get(k);
      if (before && before.expireAtUnixMs > 0) ops.push({ type: 'del', key: ttlKey(before.expireAtUnixMs, k) });
      if (next === null) {
        if (before) ops.push({ type: 'del', key: k });
        continue;
      }
      ops.push({ type: 'put', key: k, value: encodeStoredEntry(next) });
      if (next.expireAtUnixMs > 0) ops.push({ type: 'put', key: ttlKey(next.expireAtUnixMs, k), value: Buffer.alloc(0) });
    }
    return ops;
  }

  private async storedEntry(k: string): Promise<StoredEntry | undefined> {
    if (!this.stored.has(k)) {
      const value = await this.store.get(k);
      this.stored.set(k, value === undefined ? undefined : decodeStoredEntry(value));
    }
    return this.stored.get(k);
  }
}
