import type { TransactionalStateRequest__Output } from '../../../generated/dapr/proto/components/v1/TransactionalStateRequest.js';
import type { StagedWrites } from '../staged-writes.js';
import { StateRequestError } from '../state-request-error.js';
import { applyDelete } from './apply-delete.js';
import { applySet } from './apply-set.js';

/**
 * Stages a Transact's operations in order (each sees the ones before it). The first refusal
 * throws, and the caller commits nothing: all or nothing.
 */
export async function applyTransaction(staged: StagedWrites, request: TransactionalStateRequest__Output | undefined): Promise<void> {
  const operations = request?.operations ?? [];
  await staged.prefetch(operations.flatMap((op) => (op.request && op[op.request]?.key) || []));
  for (const [index, op] of operations.entries()) {
    switch (op.request) {
      case 'set':
        await applySet(staged, op.set);
        break;
      case 'delete':
        await applyDelete(staged, op.delete);
        break;
      default:
        throw new StateRequestError('INVALID_ARGUMENT', `transaction operation ${index} is neither a set nor a delete`, 'operations');
    }
  }
}
