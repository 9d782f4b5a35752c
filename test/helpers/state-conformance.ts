/**
 * The state store conformance suite (acceptance S1–S8 and the protocol's timeouts), written once
 * and run against each set-up: the bundled broker with its in-process state service, and
 * Mosquitto with the state service as its own process. Everything goes through the Unix socket
 * as daprd drives it; errors are read the way daprd reads them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectGrpcError } from './grpc-assert.js';
import { asDaprdSees, type StateConnection } from './state-harness.js';
import { startStateFixture, type StateBackend, type StateFixture } from './state-fixture.js';
import { randomId } from './component-fixture.js';
import { requirePeer } from './require-peer.js';
import { waitUntil } from './wait.js';

/** daprd prefixes keys with the app id; the store keeps them verbatim. */
const key = (name: string): string => `app1||${name}`;
const json = (v: unknown): string => JSON.stringify(v);

/** Asserts the etag error shape daprd turns into 409 / 400: code in the Status too, exactly one BadRequest on `etag`. */
export async function expectEtagError(promise: Promise<unknown>, expected: 'FAILED_PRECONDITION' | 'INVALID_ARGUMENT', what: string): Promise<void> {
  const err = await expectGrpcError(promise, expected, [], what);
  const seen = asDaprdSees(err);
  assert.ok(seen.detailsUsed, `${what}: the Status in grpc-status-details-bin must carry the call's code (${expected})`);
  assert.equal(seen.detailCount, 1, `${what}: exactly one detail`);
  assert.equal(seen.badRequests.length, 1, `${what}: the detail is a google.rpc.BadRequest`);
  assert.deepEqual(seen.badRequests[0]?.fieldViolations.map((v) => v.field), ['etag'], `${what}: one violation on field etag`);
  assert.ok(seen.message.length > 0, `${what}: message set inside the Status`);
}

async function etagOf(conn: StateConnection, k: string): Promise<string> {
  const got = await conn.get(k);
  assert.ok(got.etag?.value, `${k} has an etag`);
  return got.etag.value;
}

export function defineStateConformance(backend: StateBackend, options: { missingPeer?: string | false; protocolVersion?: 4 | 5; brokerUrl?: string; brokerName?: string } = {}): void {
  const setUp = backend === 'bundled' ? 'bundled broker, in-process state service' : `${options.brokerName ?? 'Mosquitto'}, state service process`;
  const version = options.protocolVersion ?? 4;
  describe(`state store conformance (${setUp}${version === 5 ? ', MQTT 5 on both sides' : ''})`, () => {
    before(() => requirePeer(options.missingPeer));
    let fx: StateFixture;
    let store: StateConnection;
    before(async () => {
      fx = await startStateFixture(backend, { protocolVersion: version, ...(options.brokerUrl === undefined ? {} : { brokerUrl: options.brokerUrl }) });
      store = await fx.initInstance();
    });
    after(async () => {
      await fx?.close();
    });

    it('Features declares exactly ETAG, TRANSACTIONAL, TTL, QUERY_API (never ACTOR); MultiMaxSize and Ping answer', async () => {
      assert.deepEqual((await store.features()).sort(), ['ETAG', 'QUERY_API', 'TRANSACTIONAL', 'TTL']);
      assert.equal(await store.multiMaxSize(), 10_000);
      await store.ping();
    });

    it('S1: Set/Get/Delete round trip; Get of a missing key is an empty response, not an error', async () => {
      const k = key(randomId('s1'));
      const missing = await store.get(k);
      assert.equal(missing.data?.length ?? 0, 0, 'no data');
      assert.equal(missing.etag ?? null, null, 'no etag message');
      await store.set(k, json({ n: 1 }), { contentType: 'application/json' });
      const got = await store.get(k);
      assert.equal(got.data?.toString(), json({ n: 1 }));
      assert.equal(got.contentType, 'application/json');
      assert.match(got.etag?.value ?? '', /^\d+$/);
      await store.delete(k);
      assert.equal((await store.get(k)).data?.length ?? 0, 0, 'gone after Delete');
      await store.delete(k); // deleting a missing key without an etag is fine
    });

    it('S2: every write gives a new etag; a stale etag is FAILED_PRECONDITION, a malformed one INVALID_ARGUMENT, both with one BadRequest on etag', async () => {
      const k = key(randomId('s2'));
      await store.set(k, '"a"');
      const e1 = await etagOf(store, k);
      await store.set(k, '"b"', { etag: e1 });
      const e2 = await etagOf(store, k);
      assert.notEqual(e2, e1, 'a new etag on every write');
      await store.set(k, '"b"');
      const e3 = await etagOf(store, k);
      assert.notEqual(e3, e2, 'also for an identical value without etag');
      await expectEtagError(store.set(k, '"c"', { etag: e1 }), 'FAILED_PRECONDITION', 'Set with a stale etag');
      await expectEtagError(store.delete(k, { etag: e2 }), 'FAILED_PRECONDITION', 'Delete with a stale etag');
      await expectEtagError(store.set(k, '"c"', { etag: 'not-an-etag' }), 'INVALID_ARGUMENT', 'Set with a malformed etag');
      await expectEtagError(store.delete(k, { etag: 'x1' }), 'INVALID_ARGUMENT', 'Delete with a malformed etag');
      await expectEtagError(store.set(key(randomId('s2-missing')), '"c"', { etag: e3 }), 'FAILED_PRECONDITION', 'Set with an etag on a missing key');
      assert.equal((await store.get(k)).data?.toString(), '"b"', 'failed writes changed nothing');
      await store.delete(k, { etag: e3 });
      assert.equal((await store.get(k)).data?.length ?? 0, 0);
      await store.set(k, '"again"');
      const e4 = await etagOf(store, k);
      assert.ok(![e1, e2, e3].includes(e4), 'a re-created key never gets an old etag');
    });

    it('S3: 20 concurrent first-writes of one key: exactly one succeeds', async () => {
      const k = key(randomId('s3'));
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => store.set(k, json({ writer: i }), { concurrency: 'CONCURRENCY_FIRST_WRITE' })),
      );
      const ok = results.filter((r) => r.status === 'fulfilled');
      assert.equal(ok.length, 1, `exactly one first-write wins, got ${ok.length}`);
      for (const r of results) if (r.status === 'rejected') await expectEtagError(Promise.reject(r.reason), 'FAILED_PRECONDITION', 'losing first-write');
      const winner = results.findIndex((r) => r.status === 'fulfilled');
      assert.equal((await store.get(k)).data?.toString(), json({ writer: winner }), 'the stored value is the winner\'s');
    });

    it('S4: BulkGet returns one item per key with key set; BulkSet and BulkDelete of 1,000 keys', async () => {
      const p = randomId('s4');
      const keys = Array.from({ length: 1000 }, (_, i) => key(`${p}-${i}`));
      await store.bulkSet(keys.map((k, i) => ({ key: k, value: json({ i }) })));
      const ask = [...keys, key(`${p}-missing`)];
      const items = await store.bulkGet(ask);
      assert.deepEqual(items.map((it) => it.key), ask, 'one item per key, in order, key set');
      for (let i = 0; i < 1000; i += 1) {
        assert.equal(items[i]?.data?.toString(), json({ i }), `value of ${keys[i]}`);
        assert.match(items[i]?.etag?.value ?? '', /^\d+$/);
      }
      assert.equal(items[1000]?.data?.length ?? 0, 0, 'missing key: no data');
      assert.equal(items[1000]?.error ?? '', '', 'missing key is not an error');
      await store.bulkDelete(keys.map((k) => ({ key: k })));
      const after = await store.bulkGet(keys);
      assert.equal(after.filter((it) => (it.data?.length ?? 0) > 0).length, 0, 'all 1,000 deleted');
    });

    it('S5: Transact of sets and deletes is all-or-nothing: one stale etag and nothing is applied', async () => {
      const p = randomId('s5');
      const [a, b, c] = [key(`${p}-a`), key(`${p}-b`), key(`${p}-c`)];
      await store.set(a, '"a0"');
      await store.set(b, '"b0"');
      const ea = await etagOf(store, a);
      await store.transact([{ set: { key: a, value: '"a1"', etag: ea } }, { delete: { key: b } }, { set: { key: c, value: '"c1"' } }]);
      assert.equal((await store.get(a)).data?.toString(), '"a1"');
      assert.equal((await store.get(b)).data?.length ?? 0, 0);
      assert.equal((await store.get(c)).data?.toString(), '"c1"');
      await expectEtagError(
        store.transact([{ set: { key: c, value: '"c2"' } }, { delete: { key: a } }, { set: { key: b, value: '"b2"', etag: ea } }]),
        'FAILED_PRECONDITION',
        'Transact with one stale etag',
      );
      assert.equal((await store.get(a)).data?.toString(), '"a1"', 'a not deleted');
      assert.equal((await store.get(b)).data?.length ?? 0, 0, 'b not created');
      assert.equal((await store.get(c)).data?.toString(), '"c1"', 'c not overwritten');
    });

    it('S6: ttlInSeconds expires the key and Get returns ttlExpireTime; -1 means never; a bad value is INVALID_ARGUMENT naming it', async () => {
      const p = randomId('s6');
      const before = Date.now();
      await store.set(key(`${p}-short`), '"x"', { metadata: { ttlInSeconds: '1' } });
      await store.set(key(`${p}-never`), '"y"', { metadata: { ttlInSeconds: '-1' } });
      const got = await store.get(key(`${p}-short`));
      const expireAt = Date.parse(got.metadata?.ttlExpireTime ?? '');
      assert.ok(Number.isFinite(expireAt), `ttlExpireTime is an RFC 3339 time: ${got.metadata?.ttlExpireTime}`);
      assert.match(got.metadata?.ttlExpireTime ?? '', /Z$/, 'UTC');
      assert.ok(expireAt >= before + 900 && expireAt <= Date.now() + 1100, `expires about 1 s from the write (${expireAt - before} ms)`);
      assert.equal((await store.get(key(`${p}-never`))).metadata?.ttlExpireTime, undefined, '-1: no expiry time');
      await waitUntil(async () => ((await store.get(key(`${p}-short`))).data?.length ?? 0) === 0, () => 'the 1 s key to expire', { timeoutMs: 5_000, intervalMs: 100 });
      assert.equal((await store.bulkGet([key(`${p}-short`)]))[0]?.data?.length ?? 0, 0, 'expired in BulkGet too');
      assert.equal((await store.get(key(`${p}-never`))).data?.toString(), '"y"', '-1 never expires');
      const err = await expectGrpcError(store.set(key(`${p}-bad`), '"z"', { metadata: { ttlInSeconds: 'soon' } }), 'INVALID_ARGUMENT', ['ttlInSeconds']);
      const seen = asDaprdSees(err);
      assert.ok(seen.detailsUsed && seen.detailCount === 1, 'one detail, code matching');
      assert.equal(seen.errorInfos[0]?.metadata.kit_error, 'true', 'a kit error, so daprd answers its http_code');
      assert.equal(seen.errorInfos[0]?.metadata.http_code, '400');
    });

    it('S7: Query over JSON values: EQ, IN, AND/OR, sort and pagination token', async () => {
      const q = await fx.initInstance({}, randomId('query-store'));
      const people = [
        { id: 1, name: 'ann', state: 'CA', age: 31 },
        { id: 2, name: 'bob', state: 'WA', age: 25 },
        { id: 3, name: 'cid', state: 'CA', age: 45 },
        { id: 4, name: 'dee', state: 'NY', age: 38 },
        { id: 5, name: 'eve', state: 'CA', age: 19 },
      ];
      await q.bulkSet(people.map((p) => ({ key: key(`p${p.id}`), value: json(p) })));
      const ids = (res: { items?: Array<{ data?: Buffer }> }): number[] => (res.items ?? []).map((it) => (JSON.parse(it.data?.toString() ?? 'null') as { id: number }).id);

      assert.deepEqual(ids(await q.query({ filter: { EQ: { state: 'CA' } }, sort: [{ key: 'id' }] })), [1, 3, 5], 'EQ');
      assert.deepEqual(ids(await q.query({ filter: { IN: { state: ['WA', 'NY'] } }, sort: [{ key: 'id' }] })), [2, 4], 'IN');
      assert.deepEqual(
        ids(await q.query({ filter: { AND: [{ EQ: { state: 'CA' } }, { OR: [{ EQ: { name: 'ann' } }, { EQ: { name: 'eve' } }] }] }, sort: [{ key: 'id' }] })),
        [1, 5],
        'AND of EQ and OR',
      );
      assert.deepEqual(ids(await q.query({ filter: { EQ: { state: 'CA' } }, sort: [{ key: 'age', order: 'DESC' }] })), [3, 1, 5], 'sort DESC');
      const seen: number[] = [];
      let token = '';
      for (let page = 0; page < 10; page += 1) {
        const res = await q.query({ sort: [{ key: 'age' }], page: { limit: 2, token } });
        assert.ok((res.items?.length ?? 0) <= 2, 'page size respected');
        seen.push(...ids(res));
        token = res.token ?? '';
        if (token === '') break;
      }
      assert.deepEqual(seen, [5, 2, 1, 4, 3], 'pages walk every item once, in sort order');
      const item = (await q.query({ filter: { EQ: { id: 2 } } })).items?.[0];
      assert.equal(item?.key, key('p2'), 'items carry their key');
      assert.match(item?.etag?.value ?? '', /^\d+$/, 'and their etag');
      await expectGrpcError(q.query({ filter: { NOPE: { a: 1 } } }), 'INVALID_ARGUMENT', [], 'unknown operator');
    });

    it('S8: two component instances do not see each other\'s keys unless they share a keyspace', async () => {
      const one = await fx.initInstance({}, randomId('store-one'));
      const two = await fx.initInstance({}, randomId('store-two'));
      const shared = randomId('shared');
      const threeA = await fx.initInstance({ keyspace: shared }, randomId('store-3a'));
      const threeB = await fx.initInstance({ keyspace: shared }, randomId('store-3b'));
      const k = key(randomId('s8'));
      await one.set(k, '"one"');
      await two.set(k, '"two"');
      assert.equal((await one.get(k)).data?.toString(), '"one"');
      assert.equal((await two.get(k)).data?.toString(), '"two"');
      assert.equal((await threeA.get(k)).data?.length ?? 0, 0, 'a third keyspace sees neither');
      await threeA.set(k, '"shared"');
      assert.equal((await threeB.get(k)).data?.toString(), '"shared"', 'a shared keyspace is shared');
      assert.equal((await one.get(k)).data?.toString(), '"one"');
    });

    it('a call before Init is FAILED_PRECONDITION; a bad field fails Init with INVALID_ARGUMENT naming it; no state service fails Init with UNAVAILABLE', async () => {
      await expectGrpcError(fx.connect().get(key('x')), 'FAILED_PRECONDITION', ['Init']);
      await expectGrpcError(fx.connect().init({ url: fx.brokerUrl, requestTimeout: 'soon' }), 'INVALID_ARGUMENT', ['requestTimeout']);
      await expectGrpcError(fx.connect().init({ url: fx.brokerUrl, clientId: 'a/b' }), 'INVALID_ARGUMENT', ['clientId']);
      await expectGrpcError(fx.connect().init({}), 'INVALID_ARGUMENT', ['url']);
      const started = Date.now();
      await expectGrpcError(
        fx.connect().init({ url: fx.brokerUrl, stateService: randomId('nobody'), connectTimeout: '1s' }),
        'UNAVAILABLE',
        ['state service'],
        'Init with no state service answering',
      );
      assert.ok(Date.now() - started < 5_000, 'within daprd\'s init timeout');
    });
  });
}
