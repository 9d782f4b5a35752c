import { loadProtoRoot } from '../../proto/proto-files.js';

const root = loadProtoRoot(['mqttpluggable/state/v1/stored_value.proto']);
const StoredValueType = root.lookupType('mqttpluggable.state.v1.StoredValue');

/** One key's value as the state service keeps it (proto/mqttpluggable/state/v1/stored_value.proto). */
export interface StoredEntry {
  readonly data: Buffer;
  /** Unique across the store and increasing; its decimal form is the etag. */
  readonly version: number;
  /** Unix ms after which the key is gone; 0 = never. */
  readonly expireAtUnixMs: number;
  readonly contentType: string;
}

export function encodeStoredEntry(entry: StoredEntry): Buffer {
  const message = StoredValueType.fromObject({
    data: entry.data,
    version: entry.version,
    expireAtUnixMs: entry.expireAtUnixMs,
    contentType: entry.contentType,
  });
  return Buffer.from(StoredValueType.encode(message).finish());
}

export function decodeStoredEntry(bytes: Uint8Array): StoredEntry {
  const o = StoredValueType.toObject(StoredValueType.decode(bytes), { longs: Number, defaults: true }) as {
    data: Uint8Array;
    version: number;
    expireAtUnixMs: number;
    contentType: string;
  };
  return { data: Buffer.from(o.data), version: o.version, expireAtUnixMs: o.expireAtUnixMs, contentType: o.contentType };
}

/** Expired keys are gone for every reader at once, whether or not the sweeper removed them yet. */
export function isLive(entry: StoredEntry, nowUnixMs: number): boolean {
  return entry.expireAtUnixMs === 0 || entry.expireAtUnixMs > nowUnixMs;
}
