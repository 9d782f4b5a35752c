/**
 * S9: the bundled broker PROCESS (with its state service) is killed with kill -9 while the app
 * writes state through the component, then restarted on the same port and data dir. Every
 * write the component acknowledged must read back, with its etag; writes during the outage may
 * only fail with UNAVAILABLE or DEADLINE_EXCEEDED. Figures are printed with t.diagnostic.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startComponentServer, type ComponentServer } from '../../src/grpc/start-component-server.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { freePort, killAllBrokerProcesses, startBrokerProcess, type BrokerProcess } from '../helpers/broker-process.js';
import { randomId } from '../helpers/component-fixture.js';
import { grpcCodeName, pingOk } from '../helpers/grpc-assert.js';
import { connectState, type StateConnection } from '../helpers/state-harness.js';
import { waitUntil } from '../helpers/wait.js';

const SINGLE_WRITES = 150;
const BULK = 100;
const TRANSACTIONS = 20;

describe('S9: state written through the component survives kill -9 of the broker', () => {
  const brokers: BrokerProcess[] = [];
  const dirs: string[] = [];
  let server: ComponentServer | undefined;
  let store: StateConnection | undefined;

  after(async () => {
    store?.close();
    await server?.close().catch(() => undefined);
    for (const b of brokers) await b.kill9().catch(() => undefined);
    await killAllBrokerProcesses();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('every acknowledged Set, BulkSet and Transact reads back after the restart, with its etag', async (t) => {
    const port = await freePort();
    const dataDir = await mkdtemp(join(tmpdir(), 'dmq-s9-'));
    const socketFolder = await mkdtemp(join(tmpdir(), 'dmq-'));
    dirs.push(dataDir, socketFolder);
    brokers.push(await startBrokerProcess({ port, dataDir }));
    server = await startComponentServer({ socketFolder, socketName: 'mqtt-s9', logger: createSilentLogger() });
    store = connectState(server.socketPath, randomId('s9'));
    await store.init({ url: `tcp://127.0.0.1:${port}`, requestTimeout: '2s' });
    const s = store;

    /** key → value of every write the component acknowledged. */
    const acked = new Map<string, string>();
    const failures = new Map<string, number>();
    const record = async (keys: string[], value: (k: string) => string, write: () => Promise<void>): Promise<void> => {
      try {
        await write();
        for (const k of keys) acked.set(k, value(k));
      } catch (err) {
        const code = grpcCodeName(err);
        failures.set(code, (failures.get(code) ?? 0) + 1);
      }
    };

    await record(
      Array.from({ length: BULK }, (_, i) => `app||bulk-${i}`),
      (k) => `"${k}"`,
      () => s.bulkSet(Array.from({ length: BULK }, (_, i) => ({ key: `app||bulk-${i}`, value: `"app||bulk-${i}"` }))),
    );
    for (let i = 0; i < TRANSACTIONS; i += 1) {
      const keys = [0, 1, 2].map((j) => `app||tx-${i}-${j}`);
      await record(keys, (k) => `"${k}"`, () => s.transact(keys.map((k) => ({ set: { key: k, value: `"${k}"` } }))));
    }
    // Single writes keep going across the kill: 5 at a time.
    let killedAt = -1;
    for (let i = 0; i < SINGLE_WRITES; i += 5) {
      const batch = Promise.all(
        [0, 1, 2, 3, 4].map((j) => {
          const k = `app||one-${i + j}`;
          return record([k], () => `"v${i + j}"`, () => s.set(k, `"v${i + j}"`));
        }),
      );
      if (i !== 50) await batch;
      else {
        // Killed while this batch is in flight: each of its writes is acknowledged or fails, never half.
        killedAt = acked.size;
        await brokers[0]!.kill9();
        await batch;
        // Writes go on against a dead broker for a while, then it comes back on the same port and data.
        for (let j = 0; j < 3; j += 1) await record([`app||down-${j}`], () => '"down"', () => s.set(`app||down-${j}`, '"down"'));
        brokers.push(await startBrokerProcess({ port, dataDir }));
        await waitUntil(() => pingOk(s), () => 'the state store to answer after the broker restart', { timeoutMs: 20_000, intervalMs: 100 });
      }
    }

    const keys = [...acked.keys()];
    const items = await s.bulkGet(keys);
    const lost = items.filter((it) => it.data?.toString() !== acked.get(it.key ?? '')).map((it) => it.key);
    t.diagnostic(
      `acknowledged writes: ${acked.size} keys (${killedAt} before the kill); failed during the outage: ${JSON.stringify(Object.fromEntries(failures))}; lost after restart: ${lost.length}`,
    );
    assert.deepEqual(lost, [], 'every acknowledged write reads back');
    for (const it of items) assert.match(it.etag?.value ?? '', /^\d+$/, `${it.key} keeps an etag`);
    for (const code of failures.keys()) assert.ok(['UNAVAILABLE', 'DEADLINE_EXCEEDED'].includes(code), `outage failures are retriable codes only, got ${code}`);
    assert.ok(killedAt > BULK, 'the kill came after acknowledged writes');
  });
});
