import type { Logger } from '../../logging/logger.js';
import type { StateRequest__Output } from '../../generated/mqttpluggable/state/v1/StateRequest.js';
import { decodeRequestHeader, decodeStateRequest, encodeStateReply } from '../../mqtt/state-envelope.js';
import { createDedupeTable } from './dedupe-table.js';
import { createKeyspaceQueue, type Staged } from './keyspace-queue.js';
import type { StateStore } from './open-state-store.js';
import { runOperation, WRITE_OPERATIONS } from './operations/run-operation.js';
import { parseKeyspace } from './parse-keyspace.js';
import { startSweeper } from './start-sweeper.js';
import { StateRequestError } from './state-request-error.js';
import { sweepExpiredKeys } from './sweep-expired-keys.js';
import { isStorageFailure, toStorageFailure } from './to-storage-failure.js';
import { dedupeKey } from './storage-keys.js';
import { loadVersionCommitter } from './version-committer.js';

export interface StateEngineSettings {
  /** Never given values or keys. */
  logger: Logger;
  /** How often expired keys and old dedupe records are removed (ms; default 1000). */
  sweepIntervalMs?: number;
  /** How long the reply to a write is kept to answer duplicates of it (ms; default 10 minutes). */
  dedupeRetentionMs?: number;
  /** The time, Unix ms (default Date.now); tests of TTL pass their own. */
  clock?: () => number;
  /** Told of every request answered: its operation and `ok`, `duplicate` or the error kind (metrics). */
  onRequest?: (operation: string, outcome: string) => void;
}

export interface HandledRequest {
  /** The request's reply_topic, as sent (the transport checks it against the client id). */
  replyTopic: string;
  /** The encoded StateReply. */
  reply: Buffer;
}

export interface StateEngine {
  /**
   * Handles one encoded StateRequest published by `clientId`. Resolves with the reply to
   * publish, or undefined when the bytes are not a decodable request (a warning is logged; no
   * reply is possible). Request-level failures become StateError replies; it rejects only if
   * the engine is closed.
   */
  handle(clientId: string, request: Uint8Array): Promise<HandledRequest | undefined>;
  /** Idempotent; waits for the operations under way, stops the sweeper, closes the store. */
  close(): Promise<void>;
}

export const DEFAULT_SWEEP_INTERVAL_MS = 1000;
export const DEFAULT_DEDUPE_RETENTION_MS = 10 * 60_000;
/** Budget of one encoded reply: daprd's gRPC client reads at most 4 MiB per message. */
export const MAX_RESPONSE_BYTES = 3.5 * 1024 * 1024;
/** At most one attempt per this long to reopen the store after a storage failure. */
const RECOVERY_GAP_MS = 1000;

function parseDeadline(raw: string | undefined): number {
  const deadline = Number(raw ?? 0);
  return Number.isFinite(deadline) ? deadline : 0;
}

/**
 * The state service's engine over a store: decodes requests, runs the writes of a keyspace one
 * at a time and its reads after the writes that arrived before them (arrival order, see
 * keyspace-queue.ts), answers duplicates of applied writes from the dedupe table, commits every
 * write atomically with its dedupe record (writes staged meanwhile share a batch, see
 * version-committer.ts) and answers it once written, and sweeps expired keys in the background.
 *
 * After a storage failure it reopens the store (LevelDB refuses all writes after some
 * failures, e.g. a full disk, until reopened), with nothing else under way, so it serves again
 * once the fault clears.
 */
export async function createStateEngine(store: StateStore, settings: StateEngineSettings): Promise<StateEngine> {
  const { logger } = settings;
  const clock = settings.clock ?? Date.now;
  const retentionMs = settings.dedupeRetentionMs ?? DEFAULT_DEDUPE_RETENTION_MS;
  const committer = await loadVersionCommitter(store);
  const queue = createKeyspaceQueue();
  // Finds the replies of writes staged but not yet written too (a duplicate arriving meanwhile).
  const dedupe = createDedupeTable(committer.view);

  let closed = false;
  let closing: Promise<void> | undefined;
  let broken = false;
  let recovering = false;
  let lastRecovery = Number.NEGATIVE_INFINITY;

  const scheduleRecovery = (): void => {
    if (closed || recovering || performance.now() - lastRecovery < RECOVERY_GAP_MS) return;
    recovering = true;
    lastRecovery = performance.now();
    void queue
      .exclusive(async () => {
        try {
          await committer.idle();
          await store.reopen();
          await committer.resync();
          broken = false;
          logger.info('state store reopened after a storage failure');
        } catch (err) {
          logger.error({ error: (err as Error).message }, 'state store could not be reopened; retrying later');
        }
      })
      .finally(() => {
        recovering = false;
      });
  };

  const observe = settings.onRequest ?? ((): void => undefined);

  const toErrorReply = (requestId: string, err: unknown, operation = 'unknown'): Buffer => {
    let refusal: StateRequestError;
    if (err instanceof StateRequestError) refusal = err;
    else if (isStorageFailure(err)) {
      refusal = toStorageFailure(err);
      logger.warn({ error: (err as Error).message }, 'state store failure');
      broken = true;
      scheduleRecovery();
    } else {
      logger.error({ error: (err as Error)?.message ?? String(err) }, 'state operation failed unexpectedly');
      refusal = new StateRequestError('INTERNAL', 'the state service failed to handle the request');
    }
    observe(operation, refusal.kind);
    return encodeStateReply({ requestId, error: refusal.toReplyError() });
  };

  /**
   * Runs the request (in its keyspace's turn for all but ping); never rejects. A write's reply
   * may be sent once `durable` resolved; a write reads and stages through the committer's view
   * (what earlier writes staged included), a read sees what is durable.
   */
  async function run(clientId: string, requestId: string, keyspace: string, request: StateRequest__Output, earlyDedupe?: Promise<Buffer | undefined>): Promise<Staged<Buffer>> {
    const write = request.operation !== undefined && WRITE_OPERATIONS.has(request.operation);
    const operation = request.operation ?? 'unknown';
    try {
      const now = clock();
      const deadline = parseDeadline(request.deadlineUnixMs);
      const late = deadline > 0 && deadline <= now;
      // A write's duplicate check and its staging read side by side (the store batches reads of
      // one turn): staging changes nothing until committed, and is dropped for a duplicate.
      // The lookup started when the write arrived (see serve); if that read failed (e.g. the
      // store was being reopened), it is asked again now, in the write's turn.
      const duplicate = write ? (earlyDedupe?.catch(() => dedupe.find(clientId, requestId)) ?? dedupe.find(clientId, requestId)) : undefined;
      const attempt = late
        ? undefined
        : runOperation(request, {
            store: write ? committer.view : store,
            keyspace,
            nowUnixMs: now,
            nextVersion: committer.nextVersion,
            maxResponseBytes: MAX_RESPONSE_BYTES,
          }).then(
            (outcome) => ({ outcome }),
            (error: unknown) => ({ error }),
          );
      // A duplicate is answered as the original was, even past its deadline: it was applied
      // (or is being written: then once it is).
      const stored = await duplicate;
      if (stored !== undefined) {
        observe(operation, 'duplicate');
        return { result: stored, durable: committer.durableOf(dedupeKey(clientId, requestId)) };
      }
      if (!attempt) {
        throw new StateRequestError('DEADLINE_EXCEEDED', 'the request reached the state service after its deadline; nothing was applied');
      }
      const settled = await attempt;
      if ('error' in settled) throw settled.error;
      const { outcome } = settled;
      const reply = encodeStateReply({ requestId, ...outcome.result });
      if (!outcome.staged) {
        observe(operation, 'ok');
        return { result: reply };
      }
      const written = committer.commit([...outcome.staged.toOps(), ...dedupe.recordOps(clientId, requestId, reply, now)]);
      return { result: reply, durable: written.then(() => observe(operation, 'ok')) };
    } catch (err) {
      return { result: toErrorReply(requestId, err, request.operation) };
    }
  }

  /** The reply once the write is durable; a write that could not be written is answered with the failure. */
  async function afterDurable(requestId: string, request: StateRequest__Output, staged: Staged<Buffer>): Promise<Buffer> {
    if (!staged.durable) return staged.result;
    try {
      await staged.durable;
      return staged.result;
    } catch (err) {
      return toErrorReply(requestId, err, request.operation);
    }
  }

  /** The reply (once durable) of every write from its arrival until it is durable, by dedupe key. */
  const writesInFlight = new Map<string, Promise<Buffer>>();

  /**
   * A write's duplicate check is a LevelDB read; done in the write's turn it would keep every
   * later write of the keyspace waiting for the thread pool. So it starts when the write
   * arrives (reads of one event-loop turn go to LevelDB as one batch) and the turn only awaits
   * it. A duplicate of a write still queued or being written cannot be in the dedupe table yet:
   * it is answered with that write's reply, from `writesInFlight`. Once a write is durable its
   * record is in the table, where a later duplicate's early read finds it.
   */
  function serveWrite(clientId: string, requestId: string, keyspace: string, request: StateRequest__Output): Promise<Buffer> {
    const key = dedupeKey(clientId, requestId);
    const original = writesInFlight.get(key);
    if (original) {
      observe(request.operation ?? 'unknown', 'duplicate');
      return original;
    }
    const early = dedupe.find(clientId, requestId);
    early.catch(() => undefined);
    const reply = queue.write(keyspace, () => run(clientId, requestId, keyspace, request, early)).then((s) => afterDurable(requestId, request, s));
    writesInFlight.set(key, reply);
    void reply
      .finally(() => {
        if (writesInFlight.get(key) === reply) writesInFlight.delete(key);
      })
      .catch(() => undefined);
    return reply;
  }

  /** Enqueues synchronously (arrival order is the queue order). */
  function serve(clientId: string, request: StateRequest__Output): Promise<Buffer> {
    const requestId = request.requestId ?? '';
    try {
      if (requestId === '') throw new StateRequestError('INVALID_ARGUMENT', 'request_id must not be empty', 'request_id');
      if (request.operation === undefined) throw new StateRequestError('INVALID_ARGUMENT', 'the request carries no operation', 'operation');
      if (request.operation === 'ping') return run(clientId, requestId, '', request).then((s) => s.result);
      const keyspace = parseKeyspace(request.keyspace);
      if (!WRITE_OPERATIONS.has(request.operation)) return queue.read(keyspace, () => run(clientId, requestId, keyspace, request)).then((s) => s.result);
      return serveWrite(clientId, requestId, keyspace, request);
    } catch (err) {
      return Promise.resolve(toErrorReply(requestId, err, request.operation));
    }
  }

  const sweeper = startSweeper(settings.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS, async () => {
    if (broken) scheduleRecovery();
    const now = clock();
    try {
      const expired = await sweepExpiredKeys(committer.view, queue, committer, now);
      if (expired > 0) logger.debug({ expired }, 'expired state keys removed');
      const forgotten = await dedupe.sweep(now - retentionMs);
      if (forgotten > 0) logger.debug({ forgotten }, 'old dedupe records removed');
    } catch (err) {
      logger.warn({ error: (err as Error).message }, 'state sweep failed; retrying at the next one');
    }
  });

  return {
    handle(clientId, bytes) {
      if (closed) return Promise.reject(new Error('the state engine is closed'));
      let request: StateRequest__Output;
      try {
        request = decodeStateRequest(bytes);
      } catch (err) {
        const header = decodeRequestHeader(bytes);
        if (!header) {
          logger.warn({ clientId, bytes: bytes.length, error: (err as Error).message }, 'undecodable state request dropped');
          return Promise.resolve(undefined);
        }
        // The envelope is readable but the Dapr message in it is not: say so instead of letting the client time out.
        const error = new StateRequestError('INVALID_ARGUMENT', `the state request could not be decoded: ${(err as Error).message}`, 'operation');
        observe('unknown', error.kind);
        return Promise.resolve({ replyTopic: header.replyTopic, reply: encodeStateReply({ requestId: header.requestId, error: error.toReplyError() }) });
      }
      const replyTopic = request.replyTopic ?? '';
      return serve(clientId, request).then((reply) => ({ replyTopic, reply }));
    },
    close() {
      closing ??= (async () => {
        closed = true;
        await sweeper.close();
        await queue.idle();
        await committer.idle();
        await store.close();
      })();
      return closing;
    },
  };
}
