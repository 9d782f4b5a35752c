import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import type { Logger } from '../logging/logger.js';
import { isComponentError } from '../errors/component-error.js';
import { toServiceError } from './to-service-error.js';

/** Adapts an async handler to grpc-js: resolved value → response, thrown error → status. */
export function unary<Req, Res>(
  logger: Logger,
  method: string,
  handler: (call: ServerUnaryCall<Req, Res>) => Promise<Res> | Res,
): (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => void {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handler(call))
      .then(
        (res) => callback(null, res),
        (err: unknown) => {
          if (isComponentError(err)) logger.debug({ method, code: err.code, error: err.message }, 'call failed');
          else logger.error({ method, err }, 'call failed unexpectedly');
          callback(toServiceError(err) as never);
        },
      );
  };
}
