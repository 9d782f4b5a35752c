import type { DeleteRequest__Output } from '../../../generated/dapr/proto/components/v1/DeleteRequest.js';
import { checkEtag } from '../check-etag.js';
import { parseEtag } from '../parse-etag.js';
import { parseStateKey } from '../parse-state-key.js';
import type { StagedWrites } from '../staged-writes.js';

/**
 * Stages one Delete: with an etag, it must name the current version (ETAG_MISMATCH otherwise,
 * also when the key is missing); without one, deleting a missing key is fine, whatever the
 * concurrency option.
 */
export async function applyDelete(staged: StagedWrites, request: DeleteRequest__Output | undefined): Promise<void> {
  const key = parseStateKey(request?.key);
  const etag = parseEtag(request?.etag, key);
  if (etag !== undefined) checkEtag(await staged.current(key), etag, key);
  await staged.remove(key);
}
