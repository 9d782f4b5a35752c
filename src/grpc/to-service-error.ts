import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { isComponentError } from '../errors/component-error.js';
import { encodeStatus, errorInfoDetail } from './status-details.js';

export const ERROR_DOMAIN = 'mqtt-pluggable.dapr.io';

/**
 * The one place that turns failures into gRPC statuses. Declared errors keep their code and
 * message, and carry a google.rpc.Status (same code, as daprd requires) with an ErrorInfo
 * naming our error code and the field. Anything else is INTERNAL.
 */
export function toServiceError(err: unknown): Partial<ServiceError> {
  const code = isComponentError(err) ? status[err.status] : status.INTERNAL;
  const message = isComponentError(err) ? err.message : `internal error: ${(err as Error)?.message ?? String(err)}`;
  const reason = isComponentError(err) ? err.code : 'ERR_INTERNAL';
  const meta: Record<string, string> = {};
  if (isComponentError(err) && err.field !== undefined) meta.field = err.field;
  const metadata = new Metadata();
  metadata.set('grpc-status-details-bin', encodeStatus(code, message, [errorInfoDetail(reason, ERROR_DOMAIN, meta)]));
  return { code, details: message, metadata };
}
