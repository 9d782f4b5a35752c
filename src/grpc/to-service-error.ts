import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { isComponentError, type ComponentError } from '../errors/component-error.js';
import type { ErrorCode, StatusName } from '../errors/codes.js';
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

/** Codes whose HTTP status differs from their gRPC status's (a backlog is not a full store). */
const HTTP_BY_CODE: Partial<Record<ErrorCode, number>> = { ERR_STATE_OVERLOADED: 429 };

/**
 * The details daprd decodes (dapr-wire-contract.md, "Errors"): etag errors carry exactly one
 * BadRequest on field `etag` (→ 409 / 400); other state errors one ErrorInfo marked as a kit
 * error with its HTTP code; everything else one ErrorInfo naming our code and the field.
 */
function detailFor(err: ComponentError | undefined, reason: string, message: string): Detail {
  if (err?.code === 'ERR_STATE_ETAG_MISMATCH' || err?.code === 'ERR_STATE_ETAG_INVALID') return badRequestDetail('etag', message);
  const meta: Record<string, string> = {};
  if (err?.field !== undefined) meta.field = err.field;
  if (err?.code.startsWith('ERR_STATE_')) {
    meta.kit_error = 'true';
    meta.http_code = String(HTTP_BY_CODE[err.code] ?? HTTP_BY_STATUS[err.status]);
    meta.tag = err.code;
  }
  return errorInfoDetail(reason, ERROR_DOMAIN, meta);
}

/**
 * Status messages travel in HTTP/2 trailers (`grpc-message`, and again inside
 * `grpc-status-details-bin`): a message quoting a 256 KiB key would exceed the peer's header
 * list limit and break the whole connection, so messages are cut to a size any peer accepts.
 */
const MAX_MESSAGE_CHARS = 1024;

function bounded(message: string): string {
  return message.length <= MAX_MESSAGE_CHARS ? message : `${message.slice(0, MAX_MESSAGE_CHARS)}… (${message.length - MAX_MESSAGE_CHARS} more characters)`;
}

/**
 * The one place that turns failures into gRPC statuses. Declared errors keep their code and
 * message, and carry a google.rpc.Status with the same code and message (daprd drops details
 * otherwise) and exactly one detail. Anything else is INTERNAL.
 */
export function toServiceError(err: unknown): Partial<ServiceError> {
  const declared = isComponentError(err) ? err : undefined;
  const code = declared ? status[declared.status] : status.INTERNAL;
  const message = bounded(declared ? declared.message : `internal error: ${(err as Error)?.message ?? String(err)}`);
  const reason = declared ? declared.code : 'ERR_INTERNAL';
  const metadata = new Metadata();
  metadata.set('grpc-status-details-bin', encodeStatus(code, message, [detailFor(declared, reason, message)]));
  return { code, details: message, metadata };
}
