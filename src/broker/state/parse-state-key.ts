import { StateRequestError } from './state-request-error.js';

/** A Dapr state key, kept verbatim (daprd sends `<appId>||<key>`); only the empty key is refused. */
export function parseStateKey(key: string | undefined): string {
  if (!key) throw new StateRequestError('INVALID_ARGUMENT', 'key must not be empty', 'key');
  return key;
}
