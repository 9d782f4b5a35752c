/**
 * The bundled broker PROCESS is killed with kill -9 while a component stream is consuming, then
 * restarted on the same port and data dir. The fake app publishes 300 numbered messages through
 * the component the whole time (small concurrent batches); a publish during the outage may only
 * fail with UNAVAILABLE. Every publish that succeeded must reach the app (acked), the stream must
 * never be ended by the server, and Ping must work after the restart. Duplicates are counted and
 * reported, not failed on. Figures are printed with t.diagnostic.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { startComponentServer, type ComponentServer } from '../../src/grpc/start-component-server.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import {
  freePort,
  killAllBrokerProcesses,
  startBrokerProcess,
  type BrokerProcess,
} from '../helpers/broker-process.js';
import { connectPubSub, type PubSubConnection } from '../helpers/daprd-harness.js';
import { grpcCodeName, pingOk } from '../helpers/grpc-assert.js';
import { waitUntil } from '../helpers/wait.js';

const TOTAL = 300;
const KILL_AFTER_ACKED = 100;
const BATCH = 5;
/** How long the broker stays dead (at least); publishes keep being attempted meanwhile. */
const OUTAGE_MS = 2_500;


describe('broker process killed with kill -9 under a consuming stream', () => {
  const brokers: BrokerProcess[] = [];
  const dirs: string[] = [];
  let server: ComponentServer | undefined;
  let conn: PubSubConnection | undefined;

  after(async () => {
    await conn?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    // Every broker child this file started, by pid.
    for (const b of brokers) await b.kill9().catch(() => undefined);
    await killAllBrokerProcesses();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('every successful publish reaches the app; outage publishes fail UNAVAILABLE only', async (t) => {
    const port = await freePort();
    const dataDir = await mkdtemp(join(tmpdir(), 'dmq-kill-data-'));
    dirs.push(dataDir);
    const socketFolder = await mkdtemp(join(tmpdir(), 'dmq-'));
    dirs.push(socketFolder);

    brokers.push(await startBrokerProcess({ port, dataDir }));
    server = await startComponentServer({ socketFolder, socketName: 'mqtt-kill', logger: createSilentLogger() });
    const suffix = randomBytes(5).toString('hex');
    const topic = `dmqt-kill-${suffix}/t`;
    conn = connectPubSub(server.socketPath, `inst-${suffix}`);
    await conn.init({
      url: `tcp://127.0.0.1:${port}`,
      consumerID: `consumer-${suffix}`,
      publishTimeout: '2s',
      keepAlive: '2',
    });
    await conn.features();
    const sub = conn.subscribe(topic, {}, () => {});
    await sub.ready();

    const seqOf = (data: Buffer): number => Number(data.toString('utf8').replace(/^kill-/, ''));
    const ackedSeqs = (): Set<number> => new Set(sub.acked.map((d) => seqOf(d.data)));

    const ok = new Set<number>();
    const failed = new Set<number>();
    const otherErrors: string[] = [];
    let phase: 'before' | 'outage' | 'after' = 'before';
    const attempted = { before: 0, outage: 0, after: 0 };
    const failedInPhase = { before: 0, outage: 0, after: 0 };

    const publishOne = async (seq: number): Promise<void> => {
      const p = phase;
      attempted[p] += 1;
      try {
        await conn!.publish(topic, `kill-${seq}`);
        ok.add(seq);
      } catch (err) {
        if (grpcCodeName(err) === 'UNAVAILABLE') {
          failed.add(seq);
          failedInPhase[p] += 1;
        } else {
          otherErrors.push(`#${seq}: ${grpcCodeName(err)} ${(err as Error).message}`);
        }
      }
    };

    const startedAt = Date.now();
    let next = 1;
    const publishBatch = async (): Promise<void> => {
      const batch: Promise<void>[] = [];
      for (let i = 0; i < BATCH && next <= TOTAL; i++) batch.push(publishOne(next++));
      await Promise.all(batch);
    };

    // Before the kill: publish until the app has acked ~KILL_AFTER_ACKED messages.
    while (next <= TOTAL && sub.acked.length < KILL_AFTER_ACKED) {
      await publishBatch();
      if (ok.size >= KILL_AFTER_ACKED + 20 && sub.acked.length < KILL_AFTER_ACKED) {
        await sub.waitForAcked(KILL_AFTER_ACKED, { timeoutMs: 10_000 });
      }
    }
    const ackedAtKill = sub.acked.length;

    // kill -9 the broker process, keep publishing through the outage.
    const killed = brokers[brokers.length - 1]!;
    const killedAt = Date.now();
    phase = 'outage';
    const exit = await killed.kill9();
    assert.equal(exit.signal, 'SIGKILL');
    let pingDownSeen = false;
    while (next <= TOTAL && (Date.now() - killedAt < OUTAGE_MS || !pingDownSeen)) {
      await publishBatch();
      if (!pingDownSeen) pingDownSeen = !(await pingOk(conn));
    }

    // Restart on the same port and data dir.
    const restartedAt = Date.now();
    brokers.push(await startBrokerProcess({ port, dataDir }));
    phase = 'after';
    await waitUntil(() => pingOk(conn!), () => 'Ping to succeed after the restart', { timeoutMs: 15_000, intervalMs: 50 });
    const pingBackMs = Date.now() - restartedAt;
    while (next <= TOTAL) await publishBatch();
    const publishDoneMs = Date.now() - startedAt;

    // Every publish that succeeded must be acked by the app (bounded wait).
    let waitError: Error | undefined;
    try {
      await waitUntil(
        () => [...ok].every((s) => ackedSeqs().has(s)),
        () => `every successful publish acked by the app (missing ${[...ok].filter((s) => !ackedSeqs().has(s)).slice(0, 20).join(',')})`,
        { timeoutMs: 15_000, intervalMs: 50 },
      );
    } catch (err) {
      waitError = err as Error;
    }
    const allAckedMs = Date.now() - restartedAt;

    const acked = ackedSeqs();
    const counts = new Map<number, number>();
    for (const d of sub.acked) counts.set(seqOf(d.data), (counts.get(seqOf(d.data)) ?? 0) + 1);
    const duplicated = [...counts.entries()].filter(([, n]) => n > 1);
    const lost = [...ok].filter((s) => !acked.has(s));
    const failedButDelivered = [...failed].filter((s) => acked.has(s));
    t.diagnostic(
      `published ok ${ok.size}, failed UNAVAILABLE ${failed.size} (#${[...failed].sort((a, b) => a - b).join(',') || 'none'}), ` +
        `other errors ${otherErrors.length}, acked by the app ${sub.acked.length} (distinct ${acked.size}), lost ${lost.length}, ` +
        `duplicated ${duplicated.length} (extra deliveries ${duplicated.reduce((n, [, c]) => n + c - 1, 0)}), ` +
        `failed-but-delivered ${failedButDelivered.length}, stream ended by server ${sub.serverEnd ? 'yes' : 'no'}`,
    );
    t.diagnostic(
      `attempted before/outage/after ${attempted.before}/${attempted.outage}/${attempted.after}, ` +
        `failed UNAVAILABLE before/outage/after ${failedInPhase.before}/${failedInPhase.outage}/${failedInPhase.after}; ` +
        `acked at kill ${ackedAtKill}; outage ${restartedAt - killedAt} ms; ping back ${pingBackMs} ms after restart; ` +
        `all acked ${allAckedMs} ms after restart; publishing took ${publishDoneMs} ms; max outstanding ${sub.maxOutstanding}`,
    );
    if (lost.length > 0) t.diagnostic(`lost: ${lost.slice(0, 50).join(',')}`);
    if (duplicated.length > 0) t.diagnostic(`duplicated: ${duplicated.slice(0, 50).map(([s, n]) => `${s}x${n}`).join(',')}`);

    assert.deepEqual(otherErrors, [], 'a publish may only fail with UNAVAILABLE');
    assert.equal(ok.size + failed.size, TOTAL, 'every publish either succeeded or failed UNAVAILABLE');
    assert.equal(lost.length, 0, `no successfully published message may be lost${waitError ? `: ${waitError.message}` : ''}`);
    assert.equal(sub.serverEnd, undefined, 'the component must never end the stream');
    assert.ok(attempted.outage >= 1, 'the app must have published during the outage');
    assert.ok(await pingOk(conn), 'Ping works after the restart');
  });
});
