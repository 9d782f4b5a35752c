import { StateRequestError } from './state-request-error.js';

/** LevelDB's errors carry a `LEVEL_*` code (classic-level); anything else is not a storage failure. */
export function isStorageFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('LEVEL_');
}

/**
 * A storage failure as the reply's error: a full disk is RESOURCE_EXHAUSTED, anything else
 * (I/O error, database closed or being reopened) UNAVAILABLE: both may pass, so the client may retry.
 * Nothing of the request was applied: every operation is one batch.
 */
export function toStorageFailure(err: unknown): StateRequestError {
  const detail = err instanceof Error ? err.message : String(err);
  if (/no space left|ENOSPC|disk full|quota/i.test(detail)) {
    return new StateRequestError('RESOURCE_EXHAUSTED', `the state store is out of space; nothing was applied (${detail})`);
  }
  return new StateRequestError('UNAVAILABLE', `the state store cannot serve now; nothing was applied (${detail})`);
}
