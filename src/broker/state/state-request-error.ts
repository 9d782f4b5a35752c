import type { StateError } from '../../generated/mqttpluggable/state/v1/StateError.js';

export type StateErrorKind = Exclude<NonNullable<StateError['kind']>, number | 'KIND_UNSPECIFIED'>;

/**
 * A request the state service refuses or cannot apply; it becomes the reply's StateError.
 * `field` names the request field or metadata key (e.g. `etag`, `metadata.ttlInSeconds`).
 */
export class StateRequestError extends Error {
  constructor(
    readonly kind: StateErrorKind,
    message: string,
    readonly field = '',
    readonly key = '',
  ) {
    super(message);
    this.name = 'StateRequestError';
  }

  toReplyError(): StateError {
    return { kind: this.kind, message: this.message, field: this.field, key: this.key };
  }
}
