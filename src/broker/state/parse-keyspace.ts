import { StateRequestError } from './state-request-error.js';

export const MAX_KEYSPACE_LENGTH = 256;

/** A request's keyspace: non-empty, no NUL (the storage key separator), at most 256 characters. */
export function parseKeyspace(keyspace: string | undefined): string {
  if (!keyspace || keyspace.includes('\0') || keyspace.length > MAX_KEYSPACE_LENGTH) {
    throw new StateRequestError(
      'INVALID_ARGUMENT',
      `keyspace must be 1 to ${MAX_KEYSPACE_LENGTH} characters without NUL`,
      'keyspace',
    );
  }
  return keyspace;
}
