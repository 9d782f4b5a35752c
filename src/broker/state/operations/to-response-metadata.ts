import type { StoredEntry } from '../stored-entry.js';

/** Get/BulkGet metadata: `ttlExpireTime` (RFC 3339, UTC) for keys with a TTL, as Dapr's stores return it. */
export function toResponseMetadata(entry: StoredEntry): Record<string, string> | undefined {
  return entry.expireAtUnixMs > 0 ? { ttlExpireTime: new Date(entry.expireAtUnixMs).toISOString() } : undefined;
}
