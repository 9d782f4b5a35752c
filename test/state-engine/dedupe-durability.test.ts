import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capturingLogger, engineFolder, errorOf, manualClock, TestClient } from './state-engine-fixture.js';

test('a duplicate write (same client id + request id) is answered with the identical reply and applied once', async (t) => {
  const folder = await engineFolder(t, 'state-dedupe');
  const engine = await folder.open();
  const c = new TestClient(engine, 'c-dup', 'ks-dup');
  const firstWrite = { options: { concurrency: 'CONCURRENCY_FIRST_WRITE' as const } };
  const op = { set: { key: 'app||once', value: Buffer.from('v'), ...firstWrite } };

  const first = await c.sendRaw(op, { requestId: 'dup-1' });
  assert.equal(first.reply.result, 'set');
  const etag = await c.etagOf('app||once');
  const again = await c.sendRaw(op, { requestId: 'dup-1' });
  assert.deepEqual(again.bytes, first.bytes, 'byte-identical reply');
  assert.equal(await c.etagOf('app||once'), etag, 'not applied again (a second apply would change the etag)');

  // A new request id is a new request: the first-write now fails.
  assert.equal(errorOf(await c.send(op, { requestId: 'dup-2' }))?.kind, 'ETAG_MISMATCH');

  // The same request id from another client is another request.
  const other = new TestClient(engine, 'c-dup-other', 'ks-dup');
  assert.equal(errorOf(await other.send(op, { requestId: 'dup-1' }))?.kind, 'ETAG_MISMATCH');
});

test('duplicates arriving together (redelivery while the original is under way) are applied once', async (t) => {
  const folder = await engineFolder(t, 'state-dedupe-together');
  const engine = await folder.open();
  const c = new TestClient(engine, 'c-dup2', 'ks-dup2');
  await c.set('app||n', 'base');
  const etag = await c.etagOf('app||n');
  const op = { set: { key: 'app||n', value: Buffer.from('next'), etag: { value: etag } } };
  const replies = await Promise.all([1, 2, 3].map(() => c.sendRaw(op, { requestId: 'together' })));
  for (const r of replies) {
    assert.equal(r.reply.result, 'set', 'each copy gets the success reply, none an etag mismatch');
    assert.deepEqual(r.bytes, replies[0]!.bytes);
  }
});

test('deduplication holds across close and reopen; reads are not deduplicated', async (t) => {
  const folder = await engineFolder(t, 'state-dedupe-reopen');
  let engine = await folder.open();
  let c = new TestClient(engine, 'c-dup3', 'ks-dup3');
  const del = await c.sendRaw({ transact: { operations: [{ set: { key: 'app||t', value: Buffer.from('1') } }] } }, { requestId: 'tx-1' });
  const firstGet = await c.sendRaw({ get: { key: 'app||t' } }, { requestId: 'read-1' });
  const etag = await c.etagOf('app||t');
  await engine.close();

  engine = await folder.open();
  c = new TestClient(engine, 'c-dup3', 'ks-dup3');
  const replay = await c.sendRaw({ transact: { operations: [{ set: { key: 'app||t', value: Buffer.from('1') } }] } }, { requestId: 'tx-1' });
  assert.deepEqual(replay.bytes, del.bytes);
  assert.equal(await c.etagOf('app||t'), etag, 'not applied again after reopen');

  await c.set('app||t', '2');
  const secondGet = await c.sendRaw({ get: { key: 'app||t' } }, { requestId: 'read-1' });
  assert.equal(firstGet.reply.get?.data?.toString(), '1');
  assert.equal(secondGet.reply.get?.data?.toString(), '2', 'a read with a seen request id is run again');
});

test('refused writes are not remembered: the same request id runs again', async (t) => {
  const folder = await engineFolder(t, 'state-dedupe-refused');
  const engine = await folder.open();
  const c = new TestClient(engine, 'c-dup4', 'ks-dup4');
  const op = { set: { key: 'app||r', value: Buffer.from('v'), etag: { value: '123' } } };
  assert.equal(errorOf(await c.send(op, { requestId: 'refused' }))?.kind, 'ETAG_MISMATCH');
  assert.equal((await c.send({ set: { key: 'app||r', value: Buffer.from('v') } }, { requestId: 'refused' })).result, 'set');
});

test('dedupe records are forgotten after the retention time', async (t) => {
  const folder = await engineFolder(t, 'state-dedupe-retention');
  const clock = manualClock();
  const { logger, waitFor } = await capturingLogger();
  const engine = await folder.open({ clock: clock.now, sweepIntervalMs: 5, dedupeRetentionMs: 60_000, logger });
  const c = new TestClient(engine, 'c-dup5', 'ks-dup5');
  const op = { delete: { key: 'app||x' } };
  const first = await c.sendRaw(op, { requestId: 'old' });
  await c.set('app||x', 'v');
  clock.advance(59_000);
  assert.deepEqual((await c.sendRaw(op, { requestId: 'old' })).bytes, first.bytes);
  assert.equal((await c.get('app||x')).get?.data?.toString(), 'v', 'within retention: not applied again');
  clock.advance(2_000);
  await waitFor((lines) => lines.some((l) => l.msg === 'old dedupe records removed'), 'the dedupe sweep');
  assert.equal((await c.sendRaw(op, { requestId: 'old' })).reply.result, 'delete');
  assert.deepEqual((await c.get('app||x')).get, {}, 'after retention: applied as a new request');
});

test('close and reopen keeps every value, etag, TTL and the version counter', async (t) => {
  const folder = await engineFolder(t, 'state-durable');
  const clock = manualClock();
  let engine = await folder.open({ clock: clock.now });
  let c = new TestClient(engine, 'c-dur', 'ks-dur');
  await c.send({ bulkSet: { items: Array.from({ length: 100 }, (_, i) => ({ key: `app||k${i}`, value: Buffer.from(`v${i}`) })) } });
  await c.set('app||ttl', 't', { metadata: { ttlInSeconds: '60' } });
  await c.set('app||deleted', 'd');
  const deletedEtag = await c.etagOf('app||deleted');
  await c.delete('app||deleted');
  const etags = await Promise.all(Array.from({ length: 100 }, (_, i) => c.etagOf(`app||k${i}`)));
  const ttlReply = await c.get('app||ttl');
  await engine.close();
  await engine.close(); // idempotent

  engine = await folder.open({ clock: clock.now });
  c = new TestClient(engine, 'c-dur', 'ks-dur');
  for (let i = 0; i < 100; i += 1) {
    const got = await c.get(`app||k${i}`);
    assert.equal(got.get?.data?.toString(), `v${i}`);
    assert.equal(got.get?.etag?.value, etags[i]);
  }
  assert.deepEqual((await c.get('app||ttl')).get, ttlReply.get);
  assert.deepEqual((await c.get('app||deleted')).get, {});
  await c.set('app||deleted', 'd again');
  const newEtag = await c.etagOf('app||deleted');
  assert.ok(Number(newEtag) > Math.max(Number(deletedEtag), ...etags.map(Number)), 'versions go on from where they were, never reused');
  clock.advance(60_000);
  assert.deepEqual((await c.get('app||ttl')).get, {}, 'the TTL still applies after reopen');
});

test('a request past its deadline is DEADLINE_EXCEEDED and nothing is applied', async (t) => {
  const folder = await engineFolder(t, 'state-deadline');
  const clock = manualClock();
  const engine = await folder.open({ clock: clock.now });
  const c = new TestClient(engine, 'c-dl', 'ks-dl');
  const past = clock.now() - 1;
  assert.deepEqual(errorOf(await c.set('app||late', 'v', {}, { deadlineUnixMs: past })), { kind: 'DEADLINE_EXCEEDED', field: '', key: '' });
  assert.deepEqual(errorOf(await c.get('app||late', { deadlineUnixMs: past })), { kind: 'DEADLINE_EXCEEDED', field: '', key: '' });
  assert.deepEqual((await c.get('app||late')).get, {}, 'not applied');
  assert.equal((await c.set('app||late', 'v', {}, { deadlineUnixMs: clock.now() + 1 })).result, 'set', 'a deadline still ahead is fine');
  assert.equal((await c.set('app||late', 'w', {}, { deadlineUnixMs: 0 })).result, 'set', '0 = no deadline');
});

test('a duplicate of an applied write is answered from the dedupe table even past its deadline', async (t) => {
  const folder = await engineFolder(t, 'state-deadline-dup');
  const clock = manualClock();
  const engine = await folder.open({ clock: clock.now });
  const c = new TestClient(engine, 'c-dl2', 'ks-dl2');
  const deadline = clock.now() + 1_000;
  const first = await c.sendRaw({ set: { key: 'app||k', value: Buffer.from('v') } }, { requestId: 'dl', deadlineUnixMs: deadline });
  clock.advance(5_000);
  const again = await c.sendRaw({ set: { key: 'app||k', value: Buffer.from('v') } }, { requestId: 'dl', deadlineUnixMs: deadline });
  assert.deepEqual(again.bytes, first.bytes);
});
