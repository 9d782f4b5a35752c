import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StateEngine } from '../../src/broker/state/open-state-engine.js';
import { errorOf, openTestEngine, tempDir, TestClient } from './state-engine-fixture.js';

let engine: StateEngine;
let cleanup: () => Promise<void>;

before(async () => {
  const temp = await tempDir('state-transact');
  cleanup = temp.cleanup;
  engine = await openTestEngine(temp.dir);
});
after(async () => {
  await engine.close();
  await cleanup();
});

test('S5: Transact of sets and deletes applies all of them', async () => {
  const c = new TestClient(engine, 'c-tx', 'ks-tx');
  await c.set('app||gone', 'g');
  const reply = await c.send({
    transact: {
      operations: [
        { set: { key: 'app||a', value: Buffer.from('A') } },
        { set: { key: 'app||b', value: Buffer.from('B'), etag: {} } },
        { delete: { key: 'app||gone' } },
      ],
    },
  });
  assert.equal(reply.result, 'transact', JSON.stringify(reply.error));
  assert.equal((await c.get('app||a')).get?.data?.toString(), 'A');
  assert.equal((await c.get('app||b')).get?.data?.toString(), 'B');
  assert.deepEqual((await c.get('app||gone')).get, {});
});

test('S5: one stale etag: nothing applied, ETAG_MISMATCH naming the key', async () => {
  const c = new TestClient(engine, 'c-tx2', 'ks-tx2');
  await c.set('app||a', 'a0');
  await c.set('app||b', 'b0');
  await c.set('app||c', 'c0');
  const aEtag = await c.etagOf('app||a');
  const bEtag = await c.etagOf('app||b');
  await c.set('app||b', 'b1'); // b's etag is now stale
  const reply = await c.send({
    transact: {
      operations: [
        { set: { key: 'app||a', value: Buffer.from('a1'), etag: { value: aEtag } } },
        { delete: { key: 'app||c' } },
        { set: { key: 'app||new', value: Buffer.from('n') } },
        { set: { key: 'app||b', value: Buffer.from('b2'), etag: { value: bEtag } } },
      ],
    },
  });
  assert.deepEqual(errorOf(reply), { kind: 'ETAG_MISMATCH', field: 'etag', key: 'app||b' });
  assert.equal((await c.get('app||a')).get?.data?.toString(), 'a0');
  assert.equal((await c.get('app||a')).get?.etag?.value, aEtag);
  assert.equal((await c.get('app||b')).get?.data?.toString(), 'b1');
  assert.equal((await c.get('app||c')).get?.data?.toString(), 'c0');
  assert.deepEqual((await c.get('app||new')).get, {});
});

test('later operations of a transaction see earlier ones', async () => {
  const c = new TestClient(engine, 'c-tx3', 'ks-tx3');
  const setThenDelete = await c.send({
    transact: { operations: [{ set: { key: 'app||t', value: Buffer.from('1') } }, { delete: { key: 'app||t' } }] },
  });
  assert.equal(setThenDelete.result, 'transact');
  assert.deepEqual((await c.get('app||t')).get, {});

  await c.set('app||u', 'u0');
  const deleteThenFirstWrite = await c.send({
    transact: {
      operations: [
        { delete: { key: 'app||u' } },
        { set: { key: 'app||u', value: Buffer.from('u1'), options: { concurrency: 'CONCURRENCY_FIRST_WRITE' } } },
        { set: { key: 'app||u', value: Buffer.from('u2') } },
      ],
    },
  });
  assert.equal(deleteThenFirstWrite.result, 'transact', JSON.stringify(deleteThenFirstWrite.error));
  assert.equal((await c.get('app||u')).get?.data?.toString(), 'u2');

  const firstWriteTwice = await c.send({
    transact: {
      operations: [
        { set: { key: 'app||v', value: Buffer.from('1'), options: { concurrency: 'CONCURRENCY_FIRST_WRITE' } } },
        { set: { key: 'app||v', value: Buffer.from('2'), options: { concurrency: 'CONCURRENCY_FIRST_WRITE' } } },
      ],
    },
  });
  assert.deepEqual(errorOf(firstWriteTwice), { kind: 'ETAG_MISMATCH', field: 'etag', key: 'app||v' });
  assert.deepEqual((await c.get('app||v')).get, {}, 'nothing of it applied');
});

test('a transaction operation that is neither set nor delete is INVALID_ARGUMENT, nothing applied', async () => {
  const c = new TestClient(engine, 'c-tx4', 'ks-tx4');
  const reply = await c.send({ transact: { operations: [{ set: { key: 'app||w', value: Buffer.from('1') } }, {}] } });
  assert.equal(errorOf(reply)?.kind, 'INVALID_ARGUMENT');
  assert.equal(errorOf(reply)?.field, 'operations');
  assert.deepEqual((await c.get('app||w')).get, {});
  const empty = await c.send({ transact: {} });
  assert.equal(empty.result, 'transact', 'an empty transaction is fine');
});
