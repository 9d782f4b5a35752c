/**
 * The state service's LevelDB key layout (keys are UTF-8 strings; `\0` separates parts).
 *
 *   m\0version                                  the last version handed out (decimal)
 *   d\0<keyspace>\0<key>                        a key's StoredValue
 *   t\0<expireAt, 16 digits>\0<keyspace>\0<key>  TTL index: which data key expires when (empty value)
 *   r\0<client id, URI-encoded>\0<request id>   dedupe: the encoded reply to an applied write
 *   q\0<savedAt, 16 digits>\0<client id, URI-encoded>\0<request id>   dedupe index by age (empty value)
 *
 * Keyspaces never contain `\0` (parseKeyspace refuses them) and URI-encoded client ids cannot,
 * so the first `\0` after a prefix always ends that part, whatever a key or request id holds.
 * Times are zero-padded to 16 digits (enough for any safe integer), so key order is time order.
 */
export const VERSION_KEY = 'm\0version';

const TIME_DIGITS = 16;
const TIME_PREFIX_LENGTH = 2 + TIME_DIGITS + 1; // `t\0` + digits + `\0`

function padTime(unixMs: number): string {
  return String(unixMs).padStart(TIME_DIGITS, '0');
}

/** A LevelDB key range: `gte` inclusive, `lt` exclusive. */
export interface KeyRange {
  readonly gte: string;
  readonly lt: string;
}

export function dataKey(keyspace: string, key: string): string {
  return `d\0${keyspace}\0${key}`;
}

/** Every data key of the keyspace (`\u0001` is the byte after the separator). */
export function keyspaceRange(keyspace: string): KeyRange {
  return { gte: `d\0${keyspace}\0`, lt: `d\0${keyspace}\u0001` };
}

/** The state key of a data key of `keyspace`. */
export function stateKeyOf(keyspace: string, dataKeyInKeyspace: string): string {
  return dataKeyInKeyspace.slice(keyspace.length + 3);
}

export function ttlKey(expireAtUnixMs: number, dataKeyToExpire: string): string {
  return `t\0${padTime(expireAtUnixMs)}\0${dataKeyToExpire.slice(2)}`;
}

/** TTL index entries of keys expiring at or before `unixMs`. */
export function ttlRangeUntil(unixMs: number): KeyRange {
  return { gte: 't\0', lt: `t\0${padTime(unixMs + 1)}` };
}

/** What a TTL index key points at: the data key, its keyspace and expiry time. */
export function parseTtlKey(key: string): { dataKey: string; keyspace: string; expireAtUnixMs: number } {
  const rest = key.slice(TIME_PREFIX_LENGTH);
  return {
    dataKey: `d\0${rest}`,
    keyspace: rest.slice(0, rest.indexOf('\0')),
    expireAtUnixMs: Number(key.slice(2, 2 + TIME_DIGITS)),
  };
}

export function dedupeKey(clientId: string, requestId: string): string {
  return `r\0${encodeURIComponent(clientId)}\0${requestId}`;
}

export function dedupeIndexKey(savedAtUnixMs: number, recordKey: string): string {
  return `q\0${padTime(savedAtUnixMs)}\0${recordKey.slice(2)}`;
}

/** Dedupe index entries of replies saved before `unixMs`. */
export function dedupeRangeBefore(unixMs: number): KeyRange {
  return { gte: 'q\0', lt: `q\0${padTime(Math.max(0, unixMs))}` };
}

/** The dedupe record a dedupe index key points at. */
export function dedupeKeyOfIndex(indexKey: string): string {
  return `r\0${indexKey.slice(TIME_PREFIX_LENGTH)}`;
}
