import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StateEngine } from '../../src/broker/state/open-state-engine.js';
import { errorOf, openTestEngine, tempDir, TestClient } from './state-engine-fixture.js';

let engine: StateEngine;
let cleanup: () => Promise<void>;

before(async () => {
  const temp = await tempDir('state-bulk');
  cleanup = temp.cleanup;
  engine = await openTestEngine(temp.dir);
});
after(async () => {
  await engine.close();
  await cleanup();
});

const keys = (n: number, prefix = 'app||k'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

test('S4: BulkGet returns one item per key, in request order, key always set, missing without data', async () => {
  const c = new TestClient(engine, 'c-bg', 'ks-bg');
  await c.set('app||a', 'A', { contentType: 'text/plain' });
  await c.set('app||c', 'C');
  const reply = await c.send({ bulkGet: { items: [{ key: 'app||c' }, { key: 'app||missing' }, { key: 'app||a' }, { key: '' }, { key: 'app||a' }] } });
  assert.equal(reply.result, 'bulkGet');
  const items = reply.bulkGet?.items ?? [];
  assert.deepEqual(
    items.map((i) => ({ key: i.key ?? '', data: i.data?.toString(), hasEtag: Boolean(i.etag?.value), error: i.error })),
    [
      { key: 'app||c', data: 'C', hasEtag: true, error: undefined },
      { key: 'app||missing', data: undefined, hasEtag: false, error: undefined },
      { key: 'app||a', data: 'A', hasEtag: true, error: undefined },
      { key: '', data: undefined, hasEtag: false, error: 'key must not be empty' },
      { key: 'app||a', data: 'A', hasEtag: true, error: undefined },
    ],
  );
  assert.equal(items[2]?.contentType, 'text/plain');
  assert.equal(items[0]?.etag?.value, await c.etagOf('app||c'));
});

test('S4: BulkSet and BulkDelete of 1,000 keys', async () => {
  const c = new TestClient(engine, 'c-b1000', 'ks-b1000');
  const all = keys(1000);
  const set = await c.send({ bulkSet: { items: all.map((key, i) => ({ key, value: Buffer.from(`v${i}`) })) } });
  assert.equal(set.result, 'bulkSet', JSON.stringify(set.error));
  const got = await c.send({ bulkGet: { items: all.map((key) => ({ key })) } });
  const items = got.bulkGet?.items ?? [];
  assert.equal(items.length, 1000);
  items.forEach((item, i) => {
    assert.equal(item.key, all[i]);
    assert.equal(item.data?.toString(), `v${i}`);
  });
  assert.equal(new Set(items.map((i) => i.etag?.value)).size, 1000, 'each key its own etag');

  const del = await c.send({ bulkDelete: { items: all.map((key) => ({ key })) } });
  assert.equal(del.result, 'bulkDelete');
  const after = await c.send({ bulkGet: { items: all.map((key) => ({ key })) } });
  assert.equal(after.bulkGet?.items?.filter((i) => i.data !== undefined || i.etag !== undefined).length, 0);
  assert.equal(after.bulkGet?.items?.length, 1000);
});

test('BulkSet and BulkDelete are all-or-nothing: one stale etag names its key, nothing is applied', async () => {
  const c = new TestClient(engine, 'c-bnone', 'ks-bnone');
  await c.set('app||x', 'x0');
  await c.set('app||y', 'y0');
  const xEtag = await c.etagOf('app||x');
  await c.set('app||y', 'y1');
  const staleY = '1';
  const set = await c.send({
    bulkSet: {
      items: [
        { key: 'app||x', value: Buffer.from('x1'), etag: { value: xEtag } },
        { key: 'app||new', value: Buffer.from('n') },
        { key: 'app||y', value: Buffer.from('y2'), etag: { value: staleY } },
      ],
    },
  });
  assert.deepEqual(errorOf(set), { kind: 'ETAG_MISMATCH', field: 'etag', key: 'app||y' });
  assert.equal((await c.get('app||x')).get?.data?.toString(), 'x0');
  assert.equal((await c.get('app||x')).get?.etag?.value, xEtag);
  assert.deepEqual((await c.get('app||new')).get, {});

  const del = await c.send({ bulkDelete: { items: [{ key: 'app||x' }, { key: 'app||y', etag: { value: 'not-an-etag' } }] } });
  assert.deepEqual(errorOf(del), { kind: 'ETAG_INVALID', field: 'etag', key: 'app||y' });
  assert.equal((await c.get('app||x')).get?.data?.toString(), 'x0', 'x not deleted');
});

test('BulkGet keeps the response under 3.5 MiB: items past the budget carry an error and no data', async () => {
  const c = new TestClient(engine, 'c-big', 'ks-big');
  const big = 'x'.repeat(1024 * 1024);
  const all = keys(6, 'app||big');
  for (const key of all) await c.set(key, big);
  const { bytes, reply: got } = await c.sendRaw({ bulkGet: { items: [...all, 'app||absent'].map((key) => ({ key })) } });
  assert.ok(bytes.length < 3.5 * 1024 * 1024, `reply of ${bytes.length} bytes`);
  const items = got.bulkGet?.items ?? [];
  assert.equal(items.length, 7);
  assert.deepEqual(items.map((i) => i.key), [...all, 'app||absent']);
  const withData = items.filter((i) => i.data !== undefined);
  assert.equal(withData.length, 3, '3 × 1 MiB fit, a 4th would not');
  assert.ok(withData.every((i) => i.data?.length === big.length));
  for (const item of items.slice(3, 6)) {
    assert.equal(item.error, 'response too large: request fewer keys');
    assert.equal(item.etag, undefined);
  }
  assert.equal(items[6]?.error, undefined, 'a missing key needs no room');
});
