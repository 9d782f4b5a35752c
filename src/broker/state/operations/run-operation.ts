import type { StateRequest__Output } from '../../../generated/mqttpluggable/state/v1/StateRequest.js';
import type { StateReply } from '../../../generated/mqttpluggable/state/v1/StateReply.js';
import type { StateStore } from '../open-state-store.js';
import { StagedWrites } from '../staged-writes.js';
import { StateRequestError } from '../state-request-error.js';
import { applyDelete } from './apply-delete.js';
import { applySet } from './apply-set.js';
import { applyTransaction } from './apply-transaction.js';
import { runBulkGet } from './run-bulk-get.js';
import { runGet } from './run-get.js';
import { runStateQuery } from './run-state-query.js';

export type StateOperation = NonNullable<StateRequest__Output['operation']>;

/** The operations that change state: deduplicated, and applied as one batch each. */
export const WRITE_OPERATIONS: ReadonlySet<StateOperation> = new Set(['set', 'delete', 'bulkSet', 'bulkDelete', 'transact']);

export interface OperationContext {
  readonly store: StateStore;
  readonly keyspace: string;
  /** The time the operation runs at (TTL, expiry). */
  readonly nowUnixMs: number;
  readonly nextVersion: () => number;
  /** Budget for one encoded response (BulkGet, Query). */
  readonly maxResponseBytes: number;
}

/** The reply's result (one field of StateReply.result), and for writes the batch still to commit. */
export interface OperationOutcome {
  readonly result: Omit<StateReply, 'requestId'>;
  readonly staged?: StagedWrites;
}

/**
 * Runs one request's operation. Reads answer from the store; writes only stage their changes
 * (the caller commits them with the dedupe record). Refusals throw StateRequestError.
 */
export async function runOperation(request: StateRequest__Output, ctx: OperationContext): Promise<OperationOutcome> {
  const { store, keyspace, nowUnixMs, maxResponseBytes } = ctx;
  const staged = new StagedWrites(store, keyspace, nowUnixMs, ctx.nextVersion);
  switch (request.operation) {
    case 'ping':
      return { result: { pong: { serviceTimeUnixMs: nowUnixMs } } };
    case 'get':
      return { result: { get: await runGet(store, keyspace, request.get, nowUnixMs) } };
    case 'bulkGet':
      return { result: { bulkGet: await runBulkGet(store, keyspace, request.bulkGet, nowUnixMs, maxResponseBytes) } };
    case 'query':
      return { result: { query: await runStateQuery(store, keyspace, request.query, nowUnixMs, maxResponseBytes) } };
    case 'set':
      await applySet(staged, request.set);
      return { result: { set: {} }, staged };
    case 'delete':
      await applyDelete(staged, request.delete);
      return { result: { delete: {} }, staged };
    case 'bulkSet': {
      const items = request.bulkSet?.items ?? [];
      await staged.prefetch(items.flatMap((item) => item.key || []));
      for (const item of items) await applySet(staged, item);
      return { result: { bulkSet: {} }, staged };
    }
    case 'bulkDelete': {
      const items = request.bulkDelete?.items ?? [];
      await staged.prefetch(items.flatMap((item) => item.key || []));
      for (const item of items) await applyDelete(staged, item);
      return { result: { bulkDelete: {} }, staged };
    }
    case 'transact':
      await applyTransaction(staged, request.transact);
      return { result: { transact: {} }, staged };
    default:
      throw new StateRequestError('INVALID_ARGUMENT', 'the request carries no known operation', 'operation');
  }
}
