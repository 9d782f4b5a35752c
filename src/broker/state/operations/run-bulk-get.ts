import type { BulkGetRequest__Output } from '../../../generated/dapr/proto/components/v1/BulkGetRequest.js';
import type { BulkGetResponse } from '../../../generated/dapr/proto/components/v1/BulkGetResponse.js';
import type { BulkStateItem } from '../../../generated/dapr/proto/components/v1/BulkStateItem.js';
import type { StateStore } from '../open-state-store.js';
import { StateRequestError } from '../state-request-error.js';
import { dataKey } from '../storage-keys.js';
import { decodeStoredEntry, isLive, type StoredEntry } from '../stored-entry.js';
import { toResponseMetadata } from './to-response-metadata.js';

export const TOO_LARGE_ERROR = 'response too large: request fewer keys';

/** Upper bound of an item's encoded size beyond its key, when it carries only an error (tags, lengths). */
const ERROR_ITEM_BYTES = TOO_LARGE_ERROR.length + 16;
/** Upper bound of what data adds beyond the data and content type: etag, ttlExpireTime, tags, lengths. */
const DATA_ITEM_BYTES = 96;

/**
 * BulkGet: one item per requested key, in request order, `key` always set; a missing or
 * expired key has no data; an empty key or an unreadable stored value gets an `error`.
 *
 * The encoded response stays under `maxResponseBytes` (daprd reads at most 4 MiB): room for
 * every key is set aside first, then values are added in request order while they fit; the
 * items after that get the error "response too large: request fewer keys" and no data, so the
 * caller can ask again for those. A request whose keys alone do not fit is RESOURCE_EXHAUSTED.
 */
export async function runBulkGet(
  store: StateStore,
  keyspace: string,
  request: BulkGetRequest__Output | undefined,
  nowUnixMs: number,
  maxResponseBytes: number,
): Promise<BulkGetResponse> {
  const keys = (request?.items ?? []).map((item) => item.key ?? '');
  let budget = maxResponseBytes - keys.reduce((sum, key) => sum + Buffer.byteLength(key) + ERROR_ITEM_BYTES, 0);
  if (budget < 0) {
    throw new StateRequestError('RESOURCE_EXHAUSTED', `a BulkGet of ${keys.length} keys cannot be answered in one response: request fewer keys`);
  }
  const stored = await store.getMany(keys.map((key) => dataKey(keyspace, key)));
  const items = keys.map((key, i): BulkStateItem => {
    if (key === '') return { key, error: 'key must not be empty' };
    const value = stored[i];
    let entry: StoredEntry | undefined;
    try {
      entry = value === undefined ? undefined : decodeStoredEntry(value);
    } catch {
      return { key, error: 'the stored value cannot be read' };
    }
    if (entry === undefined || !isLive(entry, nowUnixMs)) return { key };
    if (budget >= 0) budget -= entry.data.length + Buffer.byteLength(entry.contentType) + DATA_ITEM_BYTES;
    if (budget < 0) return { key, error: TOO_LARGE_ERROR };
    return {
      key,
      data: entry.data,
      etag: { value: String(entry.version) },
      contentType: entry.contentType,
      metadata: toResponseMetadata(entry),
    };
  });
  return { items };
}
