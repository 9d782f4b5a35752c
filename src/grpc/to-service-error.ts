import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { isComponentError, type ComponentError } from '../errors/component-error.js';
import type { StatusName } from '../errors/codes.js';
import { badRequestDetail, encodeStatus, errorInfoDetail, type Detail } from './status-details.js';

export const ERROR_DOMAIN = 'mqtt-pluggable.dapr.io';

/** HTTP status daprd answers the app with for a state "kit error" of this gRPC status. */
const HTTP_BY_STATUS: Record<StatusName, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 409,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 507,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
  UNIMPLEMENTED: 501,
  INTERNAL: 500,
};

/**
 * The details daprd decodes (dapr-wire-contract.md, "Errors"): etag errors carry exactly one
 * BadRequest on field `etag` (→ 409 / 400); other state errors one ErrorInfo marked as a kit
 * error with its HTTP code; everything else one ErrorInfo naming our code and the field.
 */
function detailFor(err: ComponentError | undefined, reason: string): Detail {
  if (err?.code === 'ERR_STATE_ETAG_MISMATCH' || err?.code === 'ERR_STATE_ETAG_INVALID') return badRequestDetail('etag', err.message);
  const meta: Record<string, string> = {};
  if (err?.field !== undefined) meta.field = err.field;
  if (err?.code.startsWith('ERR_STATE_')) {
    meta.kit_error = 'true';
    meta.http_code = String(HTTP_BY_STATUS[err.status]);
    meta.tag = err.code;
  }
  return errorInfoDetail(reason, ERROR_DOMAIN, meta);
}

/**
 * The one place that turns failures into gRPC statuses. Declared errors keep their code and
 * message, and carry a google.rpc.Status with the same code and message (daprd drops details
 * otherwise) and exactly one detail. Anything else is INTERNAL.
 */
export function toServiceError(err: unknown): Partial<ServiceError> {
  const declared = isComponentError(err) ? err : undefined;
  const code = declared ? status[declared.status] : status.INTERNAL;
  const message = declared ? declared.message : `internal error: ${(err as Error)?.message ?? String(err)}`;
  const reason = declared ? declared.code : 'ERR_INTERNAL';
  const metadata = new Metadata();
  metadata.set('grpc-status-details-bin', encodeStatus(code, message, [detailFor(declared, reason)]));
  return { code, details: message, metadata };
}
