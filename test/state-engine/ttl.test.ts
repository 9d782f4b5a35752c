import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClassicLevel } from 'classic-level';
import { capturingLogger, engineFolder, errorOf, manualClock, TestClient } from './state-engine-fixture.js';

const ttl = (seconds: string) => ({ metadata: { ttlInSeconds: seconds } });

test('S6: ttlInSeconds expires the key at once for every reader; Get returns ttlExpireTime; -1 means never', async (t) => {
  const folder = await engineFolder(t, 'state-ttl');
  const clock = manualClock();
  const engine = await folder.open({ clock: clock.now, sweepIntervalMs: 3_600_000 });
  const c = new TestClient(engine, 'c-ttl', 'ks-ttl');
  const start = clock.now();

  await c.set('app||short', 's', ttl('10'));
  await c.set('app||never', 'n', ttl('-1'));
  await c.set('app||plain', 'p');
  const got = await c.get('app||short');
  assert.equal(got.get?.data?.toString(), 's');
  assert.deepEqual(got.get?.metadata, { ttlExpireTime: new Date(start + 10_000).toISOString() });
  assert.equal((await c.get('app||never')).get?.metadata, undefined, '-1: no expiry time');
  const bulkBefore = await c.send({ bulkGet: { items: [{ key: 'app||short' }] } });
  assert.deepEqual(bulkBefore.bulkGet?.items?.[0]?.metadata, { ttlExpireTime: new Date(start + 10_000).toISOString() });

  clock.advance(9_999);
  assert.equal((await c.get('app||short')).get?.data?.toString(), 's', 'still there 1 ms before');
  clock.advance(1);
  assert.deepEqual((await c.get('app||short')).get, {}, 'gone at the expiry time, before any sweep');
  const bulk = await c.send({ bulkGet: { items: [{ key: 'app||short' }, { key: 'app||never' }] } });
  assert.equal(bulk.bulkGet?.items?.[0]?.data, undefined);
  assert.equal(bulk.bulkGet?.items?.[0]?.etag, undefined);
  assert.equal(bulk.bulkGet?.items?.[1]?.data?.toString(), 'n');

  clock.advance(365 * 24 * 3_600_000);
  assert.equal((await c.get('app||never')).get?.data?.toString(), 'n');
  assert.equal((await c.get('app||plain')).get?.data?.toString(), 'p');
});

test('S6: an expired key is missing for etag checks and first-write', async (t) => {
  const folder = await engineFolder(t, 'state-ttl-etag');
  const clock = manualClock();
  const engine = await folder.open({ clock: clock.now, sweepIntervalMs: 3_600_000 });
  const c = new TestClient(engine, 'c-ttl2', 'ks-ttl2');
  const firstWrite = { options: { concurrency: 'CONCURRENCY_FIRST_WRITE' as const } };

  await c.set('app||k', 'v', ttl('1'));
  const etag = await c.etagOf('app||k');
  assert.deepEqual(errorOf(await c.set('app||k', 'again', firstWrite)), { kind: 'ETAG_MISMATCH', field: 'etag', key: 'app||k' });
  clock.advance(1_000);
  assert.deepEqual(errorOf(await c.set('app||k', 'x', { etag: { value: etag } })), { kind: 'ETAG_MISMATCH', field: 'etag', key: 'app||k' });
  assert.deepEqual(errorOf(await c.delete('app||k', { etag: { value: etag } })), { kind: 'ETAG_MISMATCH', field: 'etag', key: 'app||k' });
  assert.equal((await c.set('app||k', 'fresh', firstWrite)).result, 'set', 'first-write over an expired key');
  assert.equal((await c.get('app||k')).get?.data?.toString(), 'fresh');
  assert.notEqual(await c.etagOf('app||k'), etag);
  assert.equal((await c.get('app||k')).get?.metadata, undefined, 'the new value has no TTL');
});

test('S6: a set without ttlInSeconds, or with -1, clears an earlier TTL; 0 expires at once', async (t) => {
  const folder = await engineFolder(t, 'state-ttl-clear');
  const clock = manualClock();
  const engine = await folder.open({ clock: clock.now, sweepIntervalMs: 3_600_000 });
  const c = new TestClient(engine, 'c-ttl3', 'ks-ttl3');

  await c.set('app||a', 'a1', ttl('5'));
  await c.set('app||a', 'a2');
  await c.set('app||b', 'b1', ttl('5'));
  await c.set('app||b', 'b2', ttl('-1'));
  await c.set('app||z', 'z', ttl('0'));
  assert.deepEqual((await c.get('app||z')).get, {}, 'ttl 0: expired at once');
  clock.advance(10_000);
  assert.equal((await c.get('app||a')).get?.data?.toString(), 'a2');
  assert.equal((await c.get('app||b')).get?.data?.toString(), 'b2');
});

test('S6: a bad ttlInSeconds is INVALID_ARGUMENT on field metadata.ttlInSeconds and changes nothing', async (t) => {
  const folder = await engineFolder(t, 'state-ttl-bad');
  const engine = await folder.open();
  const c = new TestClient(engine, 'c-ttl4', 'ks-ttl4');
  await c.set('app||k', 'kept');
  for (const bad of ['-2', 'abc', '1.5', '10s', ' 1', '99999999999999999']) {
    assert.deepEqual(errorOf(await c.set('app||k', 'x', ttl(bad))), { kind: 'INVALID_ARGUMENT', field: 'metadata.ttlInSeconds', key: 'app||k' }, bad);
  }
  assert.equal((await c.get('app||k')).get?.data?.toString(), 'kept');
  assert.equal((await c.set('app||k', 'y', ttl(''))).result, 'set', 'empty = not set, as components-contrib ParseTTL');
});

test('S6: the sweeper removes expired keys and their TTL index from LevelDB, and only those', async (t) => {
  const folder = await engineFolder(t, 'state-ttl-sweep');
  const clock = manualClock();
  const { logger, waitFor } = await capturingLogger();
  const engine = await folder.open({ clock: clock.now, sweepIntervalMs: 5, logger });
  const c = new TestClient(engine, 'c-sweep', 'ks-sweep');
  for (let i = 0; i < 5; i += 1) await c.set(`app||gone${i}`, 'g', ttl('1'));
  await c.set('app||rewritten', 'r1', ttl('1'));
  await c.set('app||rewritten', 'r2', ttl('100'));
  await c.set('app||stays', 's');
  await new TestClient(engine, 'c-sweep', 'ks-other').set('app||gone0', 'other keyspace', ttl('100'));
  clock.advance(2_000);
  await waitFor(
    (lines) => lines.filter((l) => l.msg === 'expired state keys removed').reduce((n, l) => n + Number(l.expired), 0) >= 5,
    'the sweeper to remove 5 expired keys',
  );
  await engine.close();

  const db = new ClassicLevel<string, string>(folder.dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  const stored = await db.keys().all();
  await db.close();
  const dataKeys = stored.filter((k) => k.startsWith('d\0')).sort();
  assert.deepEqual(dataKeys, ['d\0ks-other\0app||gone0', 'd\0ks-sweep\0app||rewritten', 'd\0ks-sweep\0app||stays']);
  const ttlKeys = stored.filter((k) => k.startsWith('t\0'));
  assert.equal(ttlKeys.length, 2, 'only the index entries of the two keys with a TTL still to come');
  assert.ok(ttlKeys.every((k) => k.endsWith('app||rewritten') || k.endsWith('ks-other\0app||gone0')));

  const reopened = await folder.open({ clock: clock.now, sweepIntervalMs: 3_600_000 });
  assert.equal((await new TestClient(reopened, 'c', 'ks-sweep').get('app||rewritten')).get?.data?.toString(), 'r2');
});
