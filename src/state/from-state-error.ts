import { ComponentError } from '../errors/component-error.js';
import type { ErrorCode } from '../errors/codes.js';
import type { StateError__Output } from '../mqtt/state-envelope.js';

const BY_KIND: Record<string, ErrorCode> = {
  ETAG_MISMATCH: 'ERR_STATE_ETAG_MISMATCH',
  ETAG_INVALID: 'ERR_STATE_ETAG_INVALID',
  INVALID_ARGUMENT: 'ERR_STATE_REQUEST_INVALID',
  RESOURCE_EXHAUSTED: 'ERR_STATE_STORE_FULL',
  UNAVAILABLE: 'ERR_STATE_UNAVAILABLE',
  DEADLINE_EXCEEDED: 'ERR_STATE_TIMEOUT',
  INTERNAL: 'ERR_STATE_SERVICE_FAILED',
};

/** The state service's typed error as the component error the gRPC layer maps. */
export function fromStateError(error: StateError__Output): ComponentError {
  const code = BY_KIND[String(error.kind)] ?? 'ERR_STATE_SERVICE_FAILED';
  const field = error.field === '' ? undefined : error.field;
  return new ComponentError(code, error.message || `state service error ${String(error.kind)}`, field === undefined ? {} : { field });
}
