import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ClassicLevel } from 'classic-level';
import { createStateEngine, type StateEngine, type StateEngineSettings } from '../../src/broker/state/create-state-engine.js';
import { openStateStore, type StateStore } from '../../src/broker/state/open-state-store.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { capturingLogger, errorOf, tempDir, TestClient } from './state-engine-fixture.js';

/** A LevelDB-shaped error, as classic-level raises them. */
function levelError(message: string, code = 'LEVEL_IO_ERROR'): Error {
  return Object.assign(new Error(message), { code });
}

interface Faults {
  /** Thrown by every write while set. */
  writeError?: Error;
  /** Thrown by every read (get, getMany) while set. */
  readError?: Error;
  /** Writes wait for this while set. */
  writeGate?: Promise<void>;
  /** Thrown by the next reopen calls (then cleared). */
  reopenErrors?: Error[];
  /** Clear `writeError` when the store is reopened (LevelDB's sticky background error). */
  clearedByReopen?: boolean;
  reopens: number;
}

/** The real store, with faults switched on and off by the test. */
function faultyStore(store: StateStore, faults: Faults): StateStore {
  return {
    get: (key) => (faults.readError ? Promise.reject(faults.readError) : store.get(key)),
    getMany: (keys) => (faults.readError ? Promise.reject(faults.readError) : store.getMany(keys)),
    entries: (range) => store.entries(range),
    keys: (range) => store.keys(range),
    async write(ops) {
      await faults.writeGate;
      if (faults.writeError) throw faults.writeError;
      await store.write(ops);
    },
    async reopen() {
      faults.reopens += 1;
      const failure = faults.reopenErrors?.shift();
      if (failure) throw failure;
      await store.reopen();
      if (faults.clearedByReopen) faults.writeError = undefined;
    },
    close: () => store.close(),
  };
}

async function faultyEngine(t: TestContext, settings: Partial<StateEngineSettings> = {}): Promise<{ engine: StateEngine; faults: Faults; dir: string }> {
  const { dir, cleanup } = await tempDir('state-faults');
  const faults: Faults = { reopens: 0 };
  const engine = await createStateEngine(faultyStore(await openStateStore(dir), faults), { logger: createSilentLogger(), ...settings });
  t.after(async () => {
    await engine.close();
    await cleanup();
  });
  return { engine, faults, dir };
}

test('a full disk is RESOURCE_EXHAUSTED, nothing applied nor remembered, and later requests are served', async (t) => {
  const { engine, faults } = await faultyEngine(t);
  const c = new TestClient(engine, 'c-full', 'ks-full');
  await c.set('app||a', 'a0');
  const etag = await c.etagOf('app||a');

  faults.writeError = levelError('IO error: /data/000005.log: No space left on device');
  const op = { transact: { operations: [{ set: { key: 'app||a', value: Buffer.from('a1') } }, { set: { key: 'app||b', value: Buffer.from('b1') } }] } };
  const failed = await c.send(op, { requestId: 'tx-full' });
  assert.equal(errorOf(failed)?.kind, 'RESOURCE_EXHAUSTED');
  assert.equal((await c.get('app||a')).get?.etag?.value, etag, 'nothing applied');
  assert.deepEqual((await c.get('app||b')).get, {});

  faults.writeError = undefined;
  assert.equal((await c.send(op, { requestId: 'tx-full' })).result, 'transact', 'the failed request was not remembered: its resend applies');
  assert.equal((await c.get('app||b')).get?.data?.toString(), 'b1');
});

test('other storage failures are UNAVAILABLE, for writes and reads', async (t) => {
  const { engine, faults } = await faultyEngine(t);
  const c = new TestClient(engine, 'c-io', 'ks-io');
  faults.writeError = levelError('IO error: disk on fire');
  assert.equal(errorOf(await c.set('app||k', 'v'))?.kind, 'UNAVAILABLE');
  faults.writeError = undefined;
  faults.readError = levelError('IO error: cannot read');
  assert.equal(errorOf(await c.get('app||k'))?.kind, 'UNAVAILABLE');
  assert.equal(errorOf(await c.send({ bulkGet: { items: [{ key: 'app||k' }] } }))?.kind, 'UNAVAILABLE');
  faults.readError = undefined;
  assert.deepEqual((await c.get('app||k')).get, {});
  assert.equal((await c.set('app||k', 'v')).result, 'set');
});

test('after a failure that sticks until LevelDB is reopened, the engine reopens it and serves writes again', async (t) => {
  const { engine, faults } = await faultyEngine(t);
  const c = new TestClient(engine, 'c-sticky', 'ks-sticky');
  await c.set('app||before', 'kept');
  faults.writeError = levelError('IO error: background compaction failed');
  faults.clearedByReopen = true;
  assert.equal(errorOf(await c.set('app||during', 'x'))?.kind, 'UNAVAILABLE');
  // The reopen is queued before any later request, so the next write finds a working store.
  assert.equal((await c.set('app||after', 'y')).result, 'set');
  assert.equal(faults.reopens, 1);
  assert.equal((await c.get('app||before')).get?.data?.toString(), 'kept');
  assert.deepEqual((await c.get('app||during')).get, {});
  const a = Number(await c.etagOf('app||after'));
  const b = Number(await c.etagOf('app||before'));
  assert.ok(a > b, 'versions go on after the reopen');
});

test('a reopen that fails is tried again later (sweeper), until the store serves again', async (t) => {
  const { logger, waitFor } = await capturingLogger('info');
  const { engine, faults } = await faultyEngine(t, { logger, sweepIntervalMs: 20 });
  const c = new TestClient(engine, 'c-retry', 'ks-retry');
  faults.writeError = levelError('IO error: No space left on device');
  faults.clearedByReopen = true;
  faults.reopenErrors = [levelError('IO error: still no space left on device')];
  assert.equal(errorOf(await c.set('app||k', 'x'))?.kind, 'RESOURCE_EXHAUSTED');
  await waitFor((lines) => lines.some((l) => l.msg === 'state store reopened after a storage failure'), 'the store to be reopened');
  assert.equal(faults.reopens, 2);
  assert.equal((await c.set('app||k', 'y')).result, 'set');
});

test('an unreadable stored value is INTERNAL for a Get, a per-key error in a BulkGet; the engine goes on', async (t) => {
  const { dir, cleanup } = await tempDir('state-corrupt');
  t.after(cleanup);
  const db = new ClassicLevel<string, Buffer>(dir, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
  await db.put('d\0ks-bad\0app||broken', Buffer.from([0x0a, 0xff, 0xff]));
  await db.close();
  const engine = await createStateEngine(await openStateStore(dir), { logger: createSilentLogger() });
  t.after(() => engine.close());
  const c = new TestClient(engine, 'c-corrupt', 'ks-bad');
  assert.equal(errorOf(await c.get('app||broken'))?.kind, 'INTERNAL');
  await c.set('app||ok', 'fine');
  const bulk = await c.send({ bulkGet: { items: [{ key: 'app||broken' }, { key: 'app||ok' }] } });
  assert.equal(bulk.bulkGet?.items?.[0]?.error, 'the stored value cannot be read', 'BulkGet: a per-key error');
  assert.equal(bulk.bulkGet?.items?.[1]?.data?.toString(), 'fine');
  assert.equal((await c.set('app||fine', 'v')).result, 'set');
  assert.equal((await c.get('app||fine')).get?.data?.toString(), 'v');
});

test('close waits for operations under way, is idempotent, and a closed engine rejects requests', async (t) => {
  const { engine, faults } = await faultyEngine(t);
  const c = new TestClient(engine, 'c-close', 'ks-close');
  let release!: () => void;
  faults.writeGate = new Promise((resolve) => (release = resolve));
  const pending = c.set('app||k', 'v');
  const closing = engine.close();
  let closed = false;
  void closing.then(() => (closed = true));
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(closed, false, 'close waits for the write under way');
  release();
  assert.equal((await pending).result, 'set', 'the write under way completes');
  await closing;
  await engine.close();
  await assert.rejects(c.get('app||k'), /closed/);
});
