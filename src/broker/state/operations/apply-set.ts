import type { SetRequest__Output } from '../../../generated/dapr/proto/components/v1/SetRequest.js';
import { checkEtag } from '../check-etag.js';
import { parseEtag } from '../parse-etag.js';
import { parseStateKey } from '../parse-state-key.js';
import { parseTtl } from '../parse-ttl.js';
import type { StagedWrites } from '../staged-writes.js';
import { StateRequestError } from '../state-request-error.js';

/**
 * Stages one Set (alone, in a BulkSet or in a Transact).
 * - etag given: it must name the current version (ETAG_MISMATCH otherwise, also when missing);
 * - no etag, first-write: the key must not exist (ETAG_MISMATCH otherwise);
 * - no etag, last-write or unspecified: upsert.
 * The value gets a new version; a Set without ttlInSeconds clears an earlier TTL.
 */
export async function applySet(staged: StagedWrites, request: SetRequest__Output | undefined): Promise<void> {
  const key = parseStateKey(request?.key);
  const expireAtUnixMs = parseTtl(request?.metadata, staged.nowUnixMs, key);
  const etag = parseEtag(request?.etag, key);
  const current = await staged.current(key);
  if (etag !== undefined) checkEtag(current, etag, key);
  else if (request?.options?.concurrency === 'CONCURRENCY_FIRST_WRITE' && current !== undefined) {
    throw new StateRequestError('ETAG_MISMATCH', `first-write of key "${key}" failed: the key already exists`, 'etag', key);
  }
  await staged.put(key, { data: request?.value ?? Buffer.alloc(0), contentType: request?.contentType ?? '', expireAtUnixMs });
}
