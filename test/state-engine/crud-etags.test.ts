import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StateEngine } from '../../src/broker/state/open-state-engine.js';
import { errorOf, openTestEngine, tempDir, TestClient } from './state-engine-fixture.js';

let engine: StateEngine;
let cleanup: () => Promise<void>;

before(async () => {
  const temp = await tempDir('state-crud');
  cleanup = temp.cleanup;
  engine = await openTestEngine(temp.dir);
});
after(async () => {
  await engine.close();
  await cleanup();
});

test('S1: set, get, delete round trip; a missing key is an empty get, not an error', async () => {
  const c = new TestClient(engine, 'c-s1', 'ks-s1');
  const missing = await c.get('app||nothing');
  assert.equal(missing.result, 'get');
  assert.deepEqual(missing.get, {}, 'no data, no etag');

  assert.equal((await c.set('app||k1', '{"a":1}', { contentType: 'application/json' })).result, 'set');
  const got = await c.get('app||k1');
  assert.equal(got.result, 'get');
  assert.equal(got.get?.data?.toString(), '{"a":1}');
  assert.equal(got.get?.contentType, 'application/json');
  assert.match(got.get?.etag?.value ?? '', /^[1-9][0-9]*$/);
  assert.equal(got.get?.metadata, undefined, 'no ttlExpireTime without a TTL');

  assert.equal((await c.delete('app||k1')).result, 'delete');
  assert.deepEqual((await c.get('app||k1')).get, {});
  assert.equal((await c.delete('app||k1')).result, 'delete', 'deleting a missing key without etag is fine');
});

test('keys are stored verbatim and an empty value round-trips', async () => {
  const c = new TestClient(engine, 'c-verbatim', 'ks-verbatim');
  const key = 'myapp||order\0with nul||and ünïcode';
  await c.set(key, '');
  const got = await c.get(key);
  assert.ok(got.get?.etag?.value, 'found');
  assert.equal(got.get?.data, undefined, 'empty bytes stay empty');
  assert.deepEqual((await c.get('myapp||order')).get, {}, 'a prefix is another key');
});

test('S2: every write gets a new etag, never reused, also after delete and re-create', async () => {
  const c = new TestClient(engine, 'c-s2', 'ks-s2');
  const seen = new Set<string>();
  for (let i = 0; i < 3; i += 1) {
    await c.set('app||e', `v${i}`);
    seen.add(await c.etagOf('app||e'));
  }
  await c.delete('app||e');
  await c.set('app||e', 'again');
  seen.add(await c.etagOf('app||e'));
  assert.equal(seen.size, 4);
});

test('S2: a stale etag is ETAG_MISMATCH on field etag, for set and delete, and changes nothing', async () => {
  const c = new TestClient(engine, 'c-s2b', 'ks-s2b');
  await c.set('app||k', 'one');
  const first = await c.etagOf('app||k');
  assert.equal((await c.set('app||k', 'two', { etag: { value: first } })).result, 'set', 'matching etag accepted');
  const second = await c.etagOf('app||k');
  assert.notEqual(second, first);

  assert.deepEqual(errorOf(await c.set('app||k', 'three', { etag: { value: first } })), { kind: 'ETAG_MISMATCH', field: 'etag', key: 'app||k' });
  assert.deepEqual(errorOf(await c.delete('app||k', { etag: { value: first } })), { kind: 'ETAG_MISMATCH', field: 'etag', key: 'app||k' });
  const still = await c.get('app||k');
  assert.equal(still.get?.data?.toString(), 'two');
  assert.equal(still.get?.etag?.value, second);

  assert.equal((await c.delete('app||k', { etag: { value: second } })).result, 'delete', 'matching etag deletes');
  assert.deepEqual((await c.get('app||k')).get, {});
});

test('S2: an etag on a missing key is ETAG_MISMATCH, for set and delete', async () => {
  const c = new TestClient(engine, 'c-s2c', 'ks-s2c');
  assert.deepEqual(errorOf(await c.set('app||none', 'x', { etag: { value: '1' } })), { kind: 'ETAG_MISMATCH', field: 'etag', key: 'app||none' });
  assert.deepEqual(errorOf(await c.delete('app||none', { etag: { value: '1' } })), { kind: 'ETAG_MISMATCH', field: 'etag', key: 'app||none' });
  assert.deepEqual((await c.get('app||none')).get, {});
});

test('S2: a malformed etag is ETAG_INVALID on field etag', async () => {
  const c = new TestClient(engine, 'c-s2d', 'ks-s2d');
  await c.set('app||k', 'v');
  for (const bad of ['abc', '0', '-1', '01', '1.5', 'W/"1"', '99999999999999999999']) {
    assert.deepEqual(errorOf(await c.set('app||k', 'x', { etag: { value: bad } })), { kind: 'ETAG_INVALID', field: 'etag', key: 'app||k' }, bad);
    assert.deepEqual(errorOf(await c.delete('app||k', { etag: { value: bad } })), { kind: 'ETAG_INVALID', field: 'etag', key: 'app||k' }, bad);
  }
  assert.equal((await c.get('app||k')).get?.data?.toString(), 'v');
});

test('an etag present but empty counts as no etag (components-contrib HasETag)', async () => {
  const c = new TestClient(engine, 'c-empty-etag', 'ks-empty-etag');
  await c.set('app||k', 'v1');
  assert.equal((await c.set('app||k', 'v2', { etag: {} })).result, 'set', 'last-write upsert');
  assert.equal((await c.set('app||k', 'v3', { etag: { value: '' } })).result, 'set');
  assert.equal((await c.get('app||k')).get?.data?.toString(), 'v3');
  assert.equal((await c.delete('app||k', { etag: {} })).result, 'delete');
  assert.equal((await c.delete('app||missing', { etag: {} })).result, 'delete');
  await c.set('app||fw', 'v1');
  assert.deepEqual(
    errorOf(await c.set('app||fw', 'v2', { etag: {}, options: { concurrency: 'CONCURRENCY_FIRST_WRITE' } })),
    { kind: 'ETAG_MISMATCH', field: 'etag', key: 'app||fw' },
    'first-write with an empty etag is first-write without etag',
  );
});

test('first-write without etag: set fails if the key exists; delete of a missing key is fine', async () => {
  const c = new TestClient(engine, 'c-fw', 'ks-fw');
  const firstWrite = { options: { concurrency: 'CONCURRENCY_FIRST_WRITE' as const } };
  assert.equal((await c.set('app||k', 'one', firstWrite)).result, 'set');
  assert.deepEqual(errorOf(await c.set('app||k', 'two', firstWrite)), { kind: 'ETAG_MISMATCH', field: 'etag', key: 'app||k' });
  assert.equal((await c.get('app||k')).get?.data?.toString(), 'one');
  const etag = await c.etagOf('app||k');
  assert.equal((await c.set('app||k', 'three', { ...firstWrite, etag: { value: etag } })).result, 'set', 'first-write with the right etag');
  assert.equal((await c.delete('app||missing', firstWrite)).result, 'delete');
  assert.equal((await c.set('app||k', 'four', { options: {} })).result, 'set', 'unspecified concurrency upserts');
});

test('keyspaces are isolated: same key, different values, deletes do not cross', async () => {
  const a = new TestClient(engine, 'c-iso', 'ks-a');
  const b = new TestClient(engine, 'c-iso', 'ks-b');
  await a.set('app||shared', 'from a');
  assert.deepEqual((await b.get('app||shared')).get, {});
  await b.set('app||shared', 'from b');
  assert.equal((await a.get('app||shared')).get?.data?.toString(), 'from a');
  await a.delete('app||shared');
  assert.equal((await b.get('app||shared')).get?.data?.toString(), 'from b');
  const prefixed = new TestClient(engine, 'c-iso', 'ks');
  assert.deepEqual((await prefixed.get('-a\0app||shared')).get, {}, 'a keyspace that is a prefix of another sees nothing of it');
});

test('bad requests: empty key, bad keyspace, no operation, no request id are INVALID_ARGUMENT naming the field', async () => {
  const c = new TestClient(engine, 'c-bad', 'ks-bad');
  assert.deepEqual(errorOf(await c.set('', 'v')), { kind: 'INVALID_ARGUMENT', field: 'key', key: '' });
  assert.deepEqual(errorOf(await c.get('')), { kind: 'INVALID_ARGUMENT', field: 'key', key: '' });
  assert.deepEqual(errorOf(await c.delete('')), { kind: 'INVALID_ARGUMENT', field: 'key', key: '' });
  for (const keyspace of ['', 'a\0b', 'x'.repeat(257)]) {
    assert.deepEqual(errorOf(await c.get('app||k', { keyspace })), { kind: 'INVALID_ARGUMENT', field: 'keyspace', key: '' }, JSON.stringify(keyspace));
  }
  assert.equal((await c.get('app||k', { keyspace: 'x'.repeat(256) })).result, 'get', '256 characters are fine');
  assert.deepEqual(errorOf(await c.send({})), { kind: 'INVALID_ARGUMENT', field: 'operation', key: '' });
  assert.deepEqual(errorOf(await c.send({ get: { key: 'app||k' } }, { requestId: '' })), { kind: 'INVALID_ARGUMENT', field: 'request_id', key: '' });
});

test('undecodable bytes resolve undefined (no reply possible)', async () => {
  assert.equal(await engine.handle('c-garbage', Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f])), undefined);
  assert.equal(await engine.handle('c-garbage', Buffer.from([0x0a, 0x10, 0x61])), undefined, 'truncated');
});

test('ping answers pong with the service time, without a keyspace', async () => {
  const c = new TestClient(engine, 'c-ping', '');
  const before = Date.now();
  const reply = await c.send({ ping: {} });
  assert.equal(reply.result, 'pong');
  const t = Number(reply.pong?.serviceTimeUnixMs);
  assert.ok(t >= before && t <= Date.now() + 1, `service time ${t}`);
});
