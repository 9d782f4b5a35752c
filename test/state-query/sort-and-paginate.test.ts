import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Query__Output } from '../../src/generated/dapr/proto/components/v1/Query.js';
import { loadSync } from '@grpc/proto-loader';
import { LOADER_OPTIONS } from '../../src/grpc/proto-loader-options.js';
import {
  ITEM_FRAMING_BYTES,
  TOKEN_FIELD_BYTES,
  parseStateQuery,
  runQuery,
  type QueryPage,
  type QueryableItem,
} from '../../src/broker/state/query/run-query.js';
import { EMPLOYEES, item, keysOf, query } from './query-fixtures.js';

function sorted(sort: Query__Output['sort'], items: QueryableItem[] = EMPLOYEES): string[] {
  return keysOf(query({}, { sort }), items);
}

test('single sort key ASC (default and explicit) and DESC; missing values last in both', () => {
  // person.id: 6=1002.5 5=1007 2=1028 1=1036 4=1042 3=1071, 7 has none
  assert.deepEqual(sorted([{ key: 'person.id' }]), ['6', '5', '2', '1', '4', '3', '7']);
  assert.deepEqual(sorted([{ key: 'person.id', order: 'ASC' }]), ['6', '5', '2', '1', '4', '3', '7']);
  assert.deepEqual(sorted([{ key: 'person.id', order: 'DESC' }]), ['3', '4', '1', '2', '5', '6', '7']);
  assert.deepEqual(sorted([{ key: 'value.person.id', order: 'DESC' }]), ['3', '4', '1', '2', '5', '6', '7']);
});

test('multi-key sort: state DESC then person.name ASC (conformance q3 shape), then org ASC, id DESC', () => {
  assert.deepEqual(sorted([{ key: 'state', order: 'DESC' }, { key: 'person.name' }]), ['1', '4', '7', '2', '3', '5', '6']);
  assert.deepEqual(sorted([{ key: 'person.org' }, { key: 'person.id', order: 'DESC' }]), ['3', '1', '7', '4', '5', '2', '6']);
});

test('ties are broken by state key whatever the input order, so the order is total', () => {
  const a = [item('b', { g: 1 }), item('c', { g: 0 }), item('a', { g: 1 })];
  const expected = ['c', 'a', 'b'];
  assert.deepEqual(sorted([{ key: 'g' }], a), expected);
  assert.deepEqual(sorted([{ key: 'g' }], [...a].reverse()), expected);
});

test('mixed JSON types sort null < number < string < object < array < boolean, missing last', () => {
  const items = [
    item('t', { v: true }),
    item('f', { v: false }),
    item('arr', { v: [1] }),
    item('obj', { v: { a: 1 } }),
    item('str', { v: 'x' }),
    item('num', { v: 10 }),
    item('neg', { v: -3 }),
    item('nul', { v: null }),
    item('none', {}),
  ];
  assert.deepEqual(sorted([{ key: 'v' }], items), ['nul', 'neg', 'num', 'str', 'obj', 'arr', 'f', 't', 'none']);
  assert.deepEqual(sorted([{ key: 'v', order: 'DESC' }], items), ['t', 'f', 'arr', 'obj', 'str', 'num', 'neg', 'nul', 'none']);
});

test('sort order also accepted as the enum number (1 = DESC)', () => {
  const q: Query__Output = { sort: [{ key: 'person.id', order: 1 as unknown as 'DESC' }] };
  assert.deepEqual(keysOf(q, EMPLOYEES), ['3', '4', '1', '2', '5', '6', '7']);
});

/** Follows tokens from the start; returns the pages' keys. */
function pages(q: Query__Output, items: QueryableItem[], maxBytes: number): string[][] {
  const out: string[][] = [];
  let token = '';
  for (let guard = 0; guard < 100; guard += 1) {
    const page = runQuery(parseStateQuery({ ...q, pagination: { ...q.pagination, token } }), items, maxBytes);
    out.push(page.items.map((i) => i.key.replace(/^app\|\|/, '')));
    if (page.token === '') return out;
    assert.match(page.token, /^\d+$/);
    token = page.token;
  }
  assert.fail('tokens never ended');
}

test('limit pages through every match once, in order, last token ""', () => {
  const q = query({ NEQ: { state: 'TX' } }, { sort: [{ key: 'person.id' }], pagination: { limit: '2' } });
  assert.deepEqual(pages(q, EMPLOYEES, Infinity), [['6', '5'], ['2', '1'], ['4', '3']]);
  const q4 = query({}, { pagination: { limit: '4' } });
  assert.deepEqual(pages(q4, EMPLOYEES, Infinity), [['1', '2', '3', '4'], ['5', '6', '7']]);
});

test('the first page returns token = decimal offset of the next item; limit 0 or absent = all', () => {
  const first = runQuery(parseStateQuery(query({}, { pagination: { limit: '3' } })), EMPLOYEES, Infinity);
  assert.equal(first.token, '3');
  assert.equal(first.items.length, 3);
  for (const pagination of [{ limit: '0' }, {}, undefined]) {
    const all = runQuery(parseStateQuery(query({}, pagination ? { pagination } : {})), EMPLOYEES, Infinity);
    assert.equal(all.items.length, 7);
    assert.equal(all.token, '');
  }
  const huge = runQuery(parseStateQuery(query({}, { pagination: { limit: '9223372036854775807' } })), EMPLOYEES, Infinity);
  assert.equal(huge.items.length, 7);
});

test('a limit that ends exactly at the last item returns token ""; a token past the end gives an empty page', () => {
  const exact = runQuery(parseStateQuery(query({}, { pagination: { limit: '7' } })), EMPLOYEES, Infinity);
  assert.equal(exact.items.length, 7);
  assert.equal(exact.token, '');
  const past = runQuery(parseStateQuery(query({}, { pagination: { limit: '2', token: '50' } })), EMPLOYEES, Infinity);
  assert.deepEqual(past, { items: [], token: '' });
  const none = runQuery(parseStateQuery(query({ EQ: { state: 'NY' } })), EMPLOYEES, 10);
  assert.deepEqual(none, { items: [], token: '' });
});

test('size budget: a page stops before item bytes (fields + framing) plus the token field would exceed it', () => {
  // Each item: key "app||kN" (7) + data {"n":"<90 x>"} (98) + etag "e1" (2) + contentType "" + 36 = 143 bytes.
  assert.equal(ITEM_FRAMING_BYTES, 36);
  assert.equal(TOKEN_FIELD_BYTES, 17);
  const size = 107 + ITEM_FRAMING_BYTES;
  const items = Array.from({ length: 10 }, (_, n) => ({
    key: `app||k${n}`,
    data: Buffer.from(JSON.stringify({ n: 'x'.repeat(90) })),
    etag: 'e1',
    contentType: '',
  }));
  assert.equal(items[0]?.data.length, 98);
  const page = runQuery(parseStateQuery(query()), items, size * 3 + TOKEN_FIELD_BYTES);
  assert.deepEqual(page.items.map((i) => i.key), ['app||k0', 'app||k1', 'app||k2']);
  assert.equal(page.token, '3');
  const oneShort = runQuery(parseStateQuery(query()), items, size * 3 + TOKEN_FIELD_BYTES - 1);
  assert.equal(oneShort.items.length, 2);
  assert.equal(oneShort.token, '2');
  // Budget and limit together: the smaller wins, and pages still cover every item once.
  const q = query({}, { pagination: { limit: '4' } });
  const all = pages(q, items, size * 3 + TOKEN_FIELD_BYTES);
  assert.deepEqual(all.map((p) => p.length), [3, 3, 3, 1]);
  assert.deepEqual(all.flat(), items.map((i) => i.key.replace(/^app\|\|/, '')));
  const limited = pages(q, items, size * 5 + TOKEN_FIELD_BYTES);
  assert.deepEqual(limited.map((p) => p.length), [4, 4, 2]);
});

test('size budget: an item larger than the budget is still returned alone, so paging progresses', () => {
  const items = [item('a', { big: 'y'.repeat(500) }), item('b', { s: 1 }), item('c', { big: 'z'.repeat(500) })];
  const all = pages(query(), items, 100);
  assert.deepEqual(all, [['a'], ['b'], ['c']]);
});

test('content type bytes count toward the budget', () => {
  const withType = (k: string): QueryableItem => ({ key: k, data: Buffer.from('1'), etag: '', contentType: 'application/json' });
  // key 1 + data 1 + contentType 16 + framing 36 = 54 per item, plus the token field
  const two = [withType('a'), withType('b')];
  const page = runQuery(parseStateQuery(query()), two, 107 + TOKEN_FIELD_BYTES);
  assert.equal(page.items.length, 1);
  assert.equal(page.token, '1');
  assert.equal(runQuery(parseStateQuery(query()), two, 108 + TOKEN_FIELD_BYTES).items.length, 2);
});

/** QueryResponse exactly as the gRPC server encodes it (same proto files, same loader options). */
const encodeQueryResponse = ((): ((page: QueryPage) => number) => {
  const def = loadSync('dapr/proto/components/v1/state.proto', LOADER_OPTIONS);
  const service = def['dapr.proto.components.v1.QueriableStateStore'] as Record<string, { responseSerialize: (v: unknown) => Buffer }>;
  const serialize = service['Query']!.responseSerialize;
  return (page) =>
    serialize({
      items: page.items.map((i) => ({ key: i.key, data: i.data, etag: { value: i.etag }, contentType: i.contentType })),
      token: page.token,
    }).length;
})();

test('the encoded QueryResponse stays within the budget, for tiny items and for long keys', () => {
  const tiny = Array.from({ length: 2000 }, (_, n) => ({ key: String(n), data: Buffer.from('1'), etag: '', contentType: '' }));
  const long = Array.from({ length: 200 }, (_, n) => ({
    key: `app||${'k'.repeat(200)}${n}`,
    data: Buffer.from(JSON.stringify({ v: 'x'.repeat(300 + n) })),
    etag: String(1e12 + n),
    contentType: 'application/json',
  }));
  for (const [items, budget] of [[tiny, 4000], [tiny, 40_000], [long, 10_000], [long, 100_000]] as const) {
    let token = '';
    let seen = 0;
    do {
      const page = runQuery(parseStateQuery({ pagination: { token } }), items, budget);
      assert.ok(page.items.length > 0);
      const bytes = encodeQueryResponse(page);
      assert.ok(bytes <= budget, `${bytes} encoded bytes > budget ${budget}`);
      if (page.token !== '') {
        // Not wasteful either: a full page is short of the budget by less than one more item
        // (fields < 1000 bytes here) plus the framing over-estimate.
        const slack = TOKEN_FIELD_BYTES + 1000 + ITEM_FRAMING_BYTES * (page.items.length + 1);
        assert.ok(bytes > budget - slack, `${bytes} encoded bytes wastes the budget ${budget}`);
      }
      seen += page.items.length;
      token = page.token;
    } while (token !== '');
    assert.equal(seen, items.length);
  }
});

test('an empty query over no items is an empty last page', () => {
  assert.deepEqual(runQuery(parseStateQuery(undefined), [], 0), { items: [], token: '' });
});
