import type { Etag__Output } from '../../generated/dapr/proto/components/v1/Etag.js';
import { StateRequestError } from './state-request-error.js';

/**
 * The version a request's etag names, or undefined when the request has no etag.
 *
 * An etag that is present but empty (`etag: {}` or `{ value: "" }`) counts as no etag, as
 * components-contrib's `HasETag()` does (`ETag != nil && *ETag != ""`): daprd's HTTP API cannot
 * tell an empty If-Match from none, so stores treat both alike.
 *
 * Anything else must be the decimal form of a version this service hands out (1, 2, ...),
 * else ETAG_INVALID on field `etag`.
 */
export function parseEtag(etag: Etag__Output | undefined, key: string): number | undefined {
  const value = etag?.value;
  if (value === undefined || value === '') return undefined;
  const version = /^[1-9][0-9]{0,15}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(version)) {
    throw new StateRequestError('ETAG_INVALID', `etag of key "${key}" is not an etag this state store issued`, 'etag', key);
  }
  return version;
}
