import type { QueryRequest__Output } from '../../../generated/dapr/proto/components/v1/QueryRequest.js';
import type { QueryResponse } from '../../../generated/dapr/proto/components/v1/QueryResponse.js';
import type { StateStore } from '../open-state-store.js';
import { parseStateQuery, runQuery, type QueryableItem } from '../query/run-query.js';
import { keyspaceRange, stateKeyOf } from '../storage-keys.js';
import { decodeStoredEntry, isLive } from '../stored-entry.js';

/** Every live (not expired) item of the keyspace, in key order. */
async function liveItems(store: StateStore, keyspace: string, nowUnixMs: number): Promise<QueryableItem[]> {
  const items: QueryableItem[] = [];
  for await (const [k, value] of store.entries(keyspaceRange(keyspace))) {
    const entry = decodeStoredEntry(value);
    if (!isLive(entry, nowUnixMs)) continue;
    items.push({ key: stateKeyOf(keyspace, k), data: entry.data, etag: String(entry.version), contentType: entry.contentType });
  }
  return items;
}

/** Query: the filter, sort and paging are the query module's; this feeds it the keyspace. */
export async function runStateQuery(
  store: StateStore,
  keyspace: string,
  request: QueryRequest__Output | undefined,
  nowUnixMs: number,
  maxResponseBytes: number,
): Promise<QueryResponse> {
  const parsed = parseStateQuery(request?.query);
  const page = runQuery(parsed, await liveItems(store, keyspace, nowUnixMs), maxResponseBytes);
  return {
    items: page.items.map((item) => ({ key: item.key, data: item.data, etag: { value: item.etag }, contentType: item.contentType })),
    token: page.token,
  };
}
