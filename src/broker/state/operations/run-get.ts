import type { GetRequest__Output } from '../../../generated/dapr/proto/components/v1/GetRequest.js';
import type { GetResponse } from '../../../generated/dapr/proto/components/v1/GetResponse.js';
import type { StateStore } from '../open-state-store.js';
import { parseStateKey } from '../parse-state-key.js';
import { readLiveEntry } from './read-live-entry.js';
import { toResponseMetadata } from './to-response-metadata.js';

/** Get: a missing or expired key is an empty response (no data, no etag), never an error. */
export async function runGet(store: StateStore, keyspace: string, request: GetRequest__Output | undefined, nowUnixMs: number): Promise<GetResponse> {
  const entry = await readLiveEntry(store, keyspace, parseStateKey(request?.key), nowUnixMs);
  if (entry === undefined) return {};
  return {
    data: entry.data,
    etag: { value: String(entry.version) },
    contentType: entry.contentType,
    metadata: toResponseMetadata(entry),
  };
}
