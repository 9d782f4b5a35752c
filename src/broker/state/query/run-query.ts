import { evaluateFilter } from './evaluate-filter.js';
import { resolveFieldPath } from './field-path.js';
import { paginate } from './paginate.js';
import type { ParsedQuery } from './parsed-query.js';
import { sortMatches, type Match } from './sort-matches.js';

export { parseStateQuery } from './parse-state-query.js';
export type { ParsedQuery } from './parsed-query.js';

/** A stored state entry as the query sees it (key verbatim, with daprd's `<appId>||` prefix). */
export interface QueryableItem {
  key: string;
  data: Buffer;
  etag: string;
  contentType: string;
}

/** One page of results; `token` is "" when there are no more items. */
export interface QueryPage {
  items: QueryableItem[];
  token: string;
}

/**
 * Upper bound of the protobuf framing of one QueryResponse item: a tag byte and a length
 * varint (at most 5 bytes) for each of key, data, etag, etag.value, content_type and the item.
 */
export const ITEM_FRAMING_BYTES = 6 * (1 + 5);

/** The response's own `token` field at most: tag, length, up to 15 decimal digits. */
export const TOKEN_FIELD_BYTES = 1 + 1 + 15;

/** Bytes an item adds to a QueryResponse, at most. */
function itemSize(item: QueryableItem): number {
  const fields = Buffer.byteLength(item.key) + item.data.length + Buffer.byteLength(item.etag) + Buffer.byteLength(item.contentType);
  return fields + ITEM_FRAMING_BYTES;
}

function parseJson(data: Buffer): { ok: true; doc: unknown } | { ok: false } {
  try {
    return { ok: true, doc: JSON.parse(data.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * Filters, sorts and pages `items`. Items whose data is not JSON are never returned (daprd's
 * HTTP API embeds each result's data as raw JSON). The page holds at most `parsed.limit`
 * items, and as many as keep the encoded QueryResponse (items and token, no metadata) within
 * `maxResponseBytes`; at least one item if any remain, however large. `token` resumes after it.
 */
export function runQuery(parsed: ParsedQuery, items: Iterable<QueryableItem>, maxResponseBytes: number): QueryPage {
  const matches: Match<QueryableItem>[] = [];
  let index = 0;
  for (const item of items) {
    const position = index;
    index += 1;
    const json = parseJson(item.data);
    if (!json.ok) continue;
    if (parsed.filter !== undefined && !evaluateFilter(parsed.filter, json.doc)) continue;
    const sortValues = parsed.sort.map((s) => resolveFieldPath(json.doc, s.segments));
    matches.push({ item, sortValues, index: position });
  }
  sortMatches(matches, parsed.sort);
  const budget = maxResponseBytes - TOKEN_FIELD_BYTES;
  const page = paginate(matches, parsed.offset, parsed.limit, budget, (m) => itemSize(m.item));
  return { items: page.items.map((m) => m.item), token: page.token };
}
