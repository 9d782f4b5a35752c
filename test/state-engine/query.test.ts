import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineFolder, errorOf, manualClock, TestClient } from './state-engine-fixture.js';

const filter = (op: string, operand: unknown) => ({ [op]: { type_url: '', value: Buffer.from(JSON.stringify(operand)) } });

test('Query runs over the live items of the request keyspace only and maps key, data, etag, content type', async (t) => {
  const folder = await engineFolder(t, 'state-query');
  const clock = manualClock();
  const engine = await folder.open({ clock: clock.now, sweepIntervalMs: 3_600_000 });
  const c = new TestClient(engine, 'c-q', 'ks-q');
  await c.set('app||1', JSON.stringify({ city: 'Seattle', n: 3 }), { contentType: 'application/json' });
  await c.set('app||2', JSON.stringify({ city: 'Portland', n: 1 }));
  await c.set('app||3', JSON.stringify({ city: 'Seattle', n: 2 }), { metadata: { ttlInSeconds: '5' } });
  await c.set('app||4', JSON.stringify({ city: 'Seattle', n: 1 }));
  await new TestClient(engine, 'c-q', 'ks-q-other').set('app||5', JSON.stringify({ city: 'Seattle', n: 0 }));

  const query = { filter: filter('EQ', { city: 'Seattle' }), sort: [{ key: 'n', order: 'ASC' as const }] };
  const before = await c.send({ query: { query } });
  assert.equal(before.result, 'query', JSON.stringify(before.error));
  assert.deepEqual(before.query?.items?.map((i) => i.key), ['app||4', 'app||3', 'app||1']);
  const first = before.query?.items?.[2];
  assert.equal(first?.data?.toString(), JSON.stringify({ city: 'Seattle', n: 3 }));
  assert.equal(first?.etag?.value, await c.etagOf('app||1'));
  assert.equal(first?.contentType, 'application/json');

  clock.advance(5_000);
  const after = await c.send({ query: { query } });
  assert.deepEqual(after.query?.items?.map((i) => i.key), ['app||4', 'app||1'], 'the expired item is gone at once');
});

test('Query pagination: limit and token page through every item once', async (t) => {
  const folder = await engineFolder(t, 'state-query-page');
  const engine = await folder.open();
  const c = new TestClient(engine, 'c-qp', 'ks-qp');
  await c.send({ bulkSet: { items: Array.from({ length: 7 }, (_, i) => ({ key: `app||${i}`, value: Buffer.from(JSON.stringify({ i })) })) } });
  const seen: string[] = [];
  let token = '';
  for (let page = 0; page < 10; page += 1) {
    const reply = await c.send({ query: { query: { sort: [{ key: 'i' }], pagination: { limit: 3, token } } } });
    assert.equal(reply.result, 'query', JSON.stringify(reply.error));
    seen.push(...(reply.query?.items ?? []).map((i) => i.key ?? ''));
    token = reply.query?.token ?? '';
    if (token === '') break;
  }
  assert.deepEqual(seen, Array.from({ length: 7 }, (_, i) => `app||${i}`));
});

test('a malformed query is INVALID_ARGUMENT with the query field', async (t) => {
  const folder = await engineFolder(t, 'state-query-bad');
  const engine = await folder.open();
  const c = new TestClient(engine, 'c-qb', 'ks-qb');
  const reply = await c.send({ query: { query: { filter: filter('NOPE', { a: 1 }) } } });
  assert.equal(errorOf(reply)?.kind, 'INVALID_ARGUMENT');
  assert.match(errorOf(reply)?.field ?? '', /^query\./);
});
