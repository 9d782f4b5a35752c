import type { StateStore, StoreOp } from './open-state-store.js';
import { dedupeIndexKey, dedupeKey, dedupeKeyOfIndex, dedupeRangeBefore } from './storage-keys.js';

const SWEEP_BATCH = 1000;

/**
 * The replies to applied writes, by (client id, request id): a request seen again (QoS 1
 * redelivery, a resend after a reconnect) is answered with the stored reply, byte for byte,
 * and not applied again. A record is written in the same batch as the write it answers, so
 * "applied" and "remembered" cannot part, also across a crash. Records are forgotten after
 * the retention time.
 */
export interface DedupeTable {
  /** The reply stored for this request, if it was applied (and not forgotten yet). */
  find(clientId: string, requestId: string): Promise<Buffer | undefined>;
  /** The ops that store `reply`, to go into the write's batch. */
  recordOps(clientId: string, requestId: string, reply: Buffer, savedAtUnixMs: number): StoreOp[];
  /** Forgets the replies saved before `cutoffUnixMs`; resolves with how many. */
  sweep(cutoffUnixMs: number): Promise<number>;
}

export function createDedupeTable(store: StateStore): DedupeTable {
  return {
    find: (clientId, requestId) => store.get(dedupeKey(clientId, requestId)),
    recordOps(clientId, requestId, reply, savedAtUnixMs) {
      const key = dedupeKey(clientId, requestId);
      return [
        { type: 'put', key, value: reply },
        { type: 'put', key: dedupeIndexKey(savedAtUnixMs, key), value: Buffer.alloc(0) },
      ];
    },
    async sweep(cutoffUnixMs) {
      let forgotten = 0;
      for (;;) {
        const ops: StoreOp[] = [];
        for await (const indexKey of store.keys({ ...dedupeRangeBefore(cutoffUnixMs), limit: SWEEP_BATCH })) {
          ops.push({ type: 'del', key: dedupeKeyOfIndex(indexKey) }, { type: 'del', key: indexKey });
        }
        if (ops.length === 0) return forgotten;
        await store.write(ops);
        forgotten += ops.length / 2;
        if (ops.length < SWEEP_BATCH * 2) return forgotten;
      }
    },
  };
}
