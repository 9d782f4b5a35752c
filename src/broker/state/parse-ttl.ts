import { StateRequestError } from './state-request-error.js';

export const TTL_METADATA_KEY = 'ttlInSeconds';

/**
 * When a key written now expires, from the request's `metadata.ttlInSeconds`: Unix ms, 0 = never.
 *
 * Absent (or empty, as components-contrib's ParseTTL takes it) or -1 = never, which also clears
 * an earlier TTL; n ≥ 0 = n seconds from now. Anything else is INVALID_ARGUMENT on field
 * `metadata.ttlInSeconds`.
 */
export function parseTtl(metadata: Readonly<Record<string, string>> | undefined, nowUnixMs: number, key: string): number {
  const raw = metadata?.[TTL_METADATA_KEY];
  if (raw === undefined || raw === '') return 0;
  const seconds = /^[+-]?[0-9]{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
  if (seconds === -1) return 0;
  const expireAt = nowUnixMs + seconds * 1000;
  if (!Number.isSafeInteger(seconds) || seconds < 0 || !Number.isSafeInteger(expireAt)) {
    throw new StateRequestError(
      'INVALID_ARGUMENT',
      `metadata.ttlInSeconds of key "${key}" must be -1 (never) or a whole number of seconds ≥ 0`,
      `metadata.${TTL_METADATA_KEY}`,
      key,
    );
  }
  return expireAt;
}
