import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StateEngine } from '../../src/broker/state/open-state-engine.js';
import { errorOf, openTestEngine, tempDir, TestClient } from './state-engine-fixture.js';

let engine: StateEngine;
let cleanup: () => Promise<void>;

before(async () => {
  const temp = await tempDir('state-concurrency');
  cleanup = temp.cleanup;
  engine = await openTestEngine(temp.dir);
});
after(async () => {
  await engine.close();
  await cleanup();
});

test('S3: 20 concurrent first-writes of one key: exactly one succeeds, the others are ETAG_MISMATCH', async () => {
  const clients = Array.from({ length: 20 }, (_, i) => new TestClient(engine, `writer-${i}`, 'ks-s3'));
  const replies = await Promise.all(
    clients.map((c, i) => c.set('app||lock', `owner ${i}`, { options: { concurrency: 'CONCURRENCY_FIRST_WRITE' } })),
  );
  const winners = replies.flatMap((r, i) => (r.result === 'set' ? [i] : []));
  assert.equal(winners.length, 1, `winners: ${winners.join(',')}`);
  for (const r of replies.filter((r) => r.result !== 'set')) {
    assert.deepEqual(errorOf(r), { kind: 'ETAG_MISMATCH', field: 'etag', key: 'app||lock' });
  }
  assert.equal((await clients[0]!.get('app||lock')).get?.data?.toString(), `owner ${winners[0]}`, 'the first in arrival order won');
  assert.equal(winners[0], 0);
});

test('20 concurrent read-modify-writes with etags on one key: each etag wins at most once, no lost update', async () => {
  const c = new TestClient(engine, 'rmw', 'ks-rmw');
  await c.set('app||counter', '0');
  const etag = await c.etagOf('app||counter');
  const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => c.set('app||counter', String(i + 1), { etag: { value: etag } })));
  assert.equal(replies.filter((r) => r.result === 'set').length, 1);
  assert.equal(replies.filter((r) => errorOf(r)?.kind === 'ETAG_MISMATCH').length, 19);
});

test('operations of one keyspace run in arrival order: a get sent right after a set sees it', async () => {
  const c = new TestClient(engine, 'order', 'ks-order');
  const sends = [];
  for (let i = 0; i < 50; i += 1) {
    sends.push(c.set('app||seq', `v${i}`));
    sends.push(c.get('app||seq'));
  }
  const replies = await Promise.all(sends);
  for (let i = 0; i < 50; i += 1) assert.equal(replies[2 * i + 1]!.get?.data?.toString(), `v${i}`);
});

test('different keyspaces run concurrently and every etag is unique across them', async () => {
  const clients = Array.from({ length: 8 }, (_, i) => new TestClient(engine, `multi-${i}`, `ks-multi-${i}`));
  await Promise.all(clients.flatMap((c) => Array.from({ length: 10 }, (_, j) => c.set(`app||k${j}`, 'v'))));
  const etags = await Promise.all(clients.flatMap((c) => Array.from({ length: 10 }, (_, j) => c.etagOf(`app||k${j}`))));
  assert.equal(new Set(etags).size, 80);
});
