import { StateRequestError } from './state-request-error.js';
import type { StoredEntry } from './stored-entry.js';

/**
 * Optimistic concurrency: an etag must name the key's current version (a missing or expired key
 * has none, so any etag fails), else ETAG_MISMATCH on field `etag`.
 */
export function checkEtag(current: StoredEntry | undefined, etagVersion: number, key: string): void {
  if (current?.version === etagVersion) return;
  throw new StateRequestError(
    'ETAG_MISMATCH',
    current === undefined
      ? `etag mismatch for key "${key}": the key does not exist`
      : `etag mismatch for key "${key}": the key was changed since that etag`,
    'etag',
    key,
  );
}
