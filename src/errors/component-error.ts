import { ERROR_CODES, type ErrorCode, type StatusName } from './codes.js';

/** A failure with a declared code; the gRPC layer maps `status` to the call's status. */
export class ComponentError extends Error {
  readonly code: ErrorCode;
  readonly status: StatusName;
  /** The metadata key or request field the error is about, when there is one. */
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ComponentError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.field = options.field;
  }
}

export function isComponentError(err: unknown): err is ComponentError {
  return err instanceof ComponentError;
}
