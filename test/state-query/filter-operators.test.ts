import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EMPLOYEES, item, keysOf, query } from './query-fixtures.js';

test('no filter (absent, empty map, undefined query) matches every JSON item, ordered by key', () => {
  const all = ['1', '2', '3', '4', '5', '6', '7'];
  assert.deepEqual(keysOf(query(), EMPLOYEES), all);
  assert.deepEqual(keysOf({}, EMPLOYEES), all);
  assert.deepEqual(keysOf({ filter: {} }, EMPLOYEES), all);
});

test('EQ on a string, a number, a nested path, and a whole object (deep, member order ignored)', () => {
  assert.deepEqual(keysOf(query({ EQ: { state: 'CA' } }), EMPLOYEES), ['3', '5', '6']);
  assert.deepEqual(keysOf(query({ EQ: { 'person.id': 1036 } }), EMPLOYEES), ['1']);
  assert.deepEqual(keysOf(query({ EQ: { 'person.org': 'Finance' } }), EMPLOYEES), ['4', '5']);
  assert.deepEqual(keysOf(query({ EQ: { person: { name: 'Bo', id: 1028, org: 'Hardware' } } }), EMPLOYEES), ['2']);
  assert.deepEqual(keysOf(query({ EQ: { tags: ['ops', 'oncall'] } }), EMPLOYEES), ['1']);
  assert.deepEqual(keysOf(query({ EQ: { tags: ['oncall', 'ops'] } }), EMPLOYEES), [], 'array order matters');
});

test('EQ does not convert types: 1036 never equals "1036"', () => {
  assert.deepEqual(keysOf(query({ EQ: { 'person.id': '1036' } }), EMPLOYEES), []);
});

test('NEQ matches items that have the path with another value; a missing path never matches', () => {
  assert.deepEqual(keysOf(query({ NEQ: { 'person.org': 'Dev Ops' } }), EMPLOYEES), ['2', '4', '5', '6']);
  // item 7 has no person.id: not returned by NEQ either.
  assert.deepEqual(keysOf(query({ NEQ: { 'person.id': 1036 } }), EMPLOYEES), ['2', '3', '4', '5', '6']);
});

test('GT, GTE, LT, LTE on numbers (including a fraction)', () => {
  assert.deepEqual(keysOf(query({ GT: { 'person.id': 1036 } }), EMPLOYEES), ['3', '4']);
  assert.deepEqual(keysOf(query({ GTE: { 'person.id': 1036 } }), EMPLOYEES), ['1', '3', '4']);
  assert.deepEqual(keysOf(query({ LT: { 'person.id': 1028 } }), EMPLOYEES), ['5', '6']);
  assert.deepEqual(keysOf(query({ LTE: { 'person.id': 1028 } }), EMPLOYEES), ['2', '5', '6']);
  assert.deepEqual(keysOf(query({ LT: { 'person.id': 1002.6 } }), EMPLOYEES), ['6']);
});

test('GT, GTE, LT, LTE on strings compare by code point', () => {
  assert.deepEqual(keysOf(query({ GT: { state: 'OR' } }), EMPLOYEES), ['1', '4', '7']);
  assert.deepEqual(keysOf(query({ GTE: { state: 'OR' } }), EMPLOYEES), ['1', '2', '4', '7']);
  assert.deepEqual(keysOf(query({ LT: { city: 'Sacramento' } }), EMPLOYEES), ['2', '6', '7']);
  assert.deepEqual(keysOf(query({ LTE: { city: 'Sacramento' } }), EMPLOYEES), ['2', '3', '6', '7']);
  // U+1F600 (a surrogate pair in UTF-16) is above U+FFFD by code point, below it by code unit.
  const items = [item('emoji', { s: '\u{1F600}' }), item('fffd', { s: '\uFFFD' })];
  assert.deepEqual(keysOf(query({ GT: { s: '\uFFFD' } }), items), ['emoji']);
  assert.deepEqual(keysOf(query({ LT: { s: '\u{1F600}' } }), items), ['fffd']);
});

test('GT/LT across types never match (number vs string, bool, null, object)', () => {
  const items = [
    item('num', { v: 5 }),
    item('str', { v: '5' }),
    item('bool', { v: true }),
    item('null', { v: null }),
    item('obj', { v: { n: 9 } }),
  ];
  assert.deepEqual(keysOf(query({ GT: { v: 1 } }), items), ['num']);
  assert.deepEqual(keysOf(query({ LTE: { v: '9' } }), items), ['str']);
  assert.deepEqual(keysOf(query({ GTE: { v: '' } }), items), ['str']);
});

test('IN matches any listed value, by deep equality and without type conversion', () => {
  assert.deepEqual(keysOf(query({ IN: { state: ['CA', 'OR'] } }), EMPLOYEES), ['2', '3', '5', '6']);
  assert.deepEqual(keysOf(query({ IN: { 'person.id': [1007, '1036', 1042] } }), EMPLOYEES), ['4', '5']);
  assert.deepEqual(keysOf(query({ IN: { tags: [['ops'], 'x'] } }), EMPLOYEES), ['3']);
  assert.deepEqual(keysOf(query({ IN: { 'no.such.path': ['CA'] } }), EMPLOYEES), []);
});

test('AND and OR, nested both ways (the Dapr conformance shapes)', () => {
  // q3: AND(EQ org, IN state)
  assert.deepEqual(
    keysOf(query({ AND: [{ EQ: { 'person.org': 'Dev Ops' } }, { IN: { state: ['CA', 'WA'] } }] }), EMPLOYEES),
    ['1', '3'],
  );
  // q4: OR(EQ org, AND(EQ org, IN state))
  assert.deepEqual(
    keysOf(
      query({
        OR: [{ EQ: { 'person.org': 'Finance' } }, { AND: [{ EQ: { 'person.org': 'Hardware' } }, { IN: { state: ['CA', 'WA'] } }] }],
      }),
      EMPLOYEES,
    ),
    ['4', '5', '6'],
  );
  // q5: AND(EQ org, OR(EQ name, IN state))
  assert.deepEqual(
    keysOf(
      query({ AND: [{ EQ: { 'person.org': 'Dev Ops' } }, { OR: [{ EQ: { 'person.name': 'Gus' } }, { IN: { state: ['CA'] } }] }] }),
      EMPLOYEES,
    ),
    ['3', '7'],
  );
  // three-way AND with ranges and NEQ (conformance "struct-operations")
  assert.deepEqual(
    keysOf(
      query({
        AND: [{ GTE: { 'person.id': 1007 } }, { LT: { 'person.id': 1072 } }, { NEQ: { state: 'WA' } }, { NEQ: { 'person.org': 'Hardware' } }],
      }),
      EMPLOYEES,
    ),
    ['3', '5'],
  );
  // OR of two ANDs, three levels deep
  assert.deepEqual(
    keysOf(
      query({
        OR: [
          { AND: [{ EQ: { state: 'WA' } }, { OR: [{ GT: { 'person.id': 1040 } }, { EQ: { city: 'Nowhere' } }] }] },
          { AND: [{ EQ: { state: 'TX' } }, { EQ: { 'person.org': 'Dev Ops' } }] },
        ],
      }),
      EMPLOYEES,
    ),
    ['4', '7'],
  );
});

test('paths: a leading "value." is accepted; a real "value" member wins; array indexes; no prototype members', () => {
  assert.deepEqual(keysOf(query({ EQ: { 'value.person.org': 'Finance' } }), EMPLOYEES), ['4', '5']);
  const items = [
    item('wrapped', { value: { state: 'CA' }, state: 'WA' }),
    item('plain', { state: 'CA' }),
    item('product', { product: { value: 15 } }),
  ];
  assert.deepEqual(keysOf(query({ EQ: { 'value.state': 'CA' } }), items), ['plain', 'wrapped']);
  assert.deepEqual(keysOf(query({ EQ: { 'value.state': 'WA' } }), items), []);
  assert.deepEqual(keysOf(query({ GTE: { 'product.value': 10 } }), items), ['product']);
  assert.deepEqual(keysOf(query({ EQ: { 'tags.1': 'oncall' } }), EMPLOYEES), ['1']);
  assert.deepEqual(keysOf(query({ EQ: { 'tags.01': 'oncall' } }), EMPLOYEES), []);
  assert.deepEqual(keysOf(query({ EQ: { 'tags.length': 2 } }), EMPLOYEES), []);
  assert.deepEqual(keysOf(query({ NEQ: { 'state.constructor': 1 } }), EMPLOYEES), []);
  assert.deepEqual(keysOf(query({ NEQ: { 'person.toString': 1 } }), EMPLOYEES), []);
});

test('non-JSON items are never returned and do not disturb the others', () => {
  const items = [
    { key: 'app||bin', data: Buffer.from([0xff, 0xfe, 0x00, 0x7b]), etag: '1', contentType: 'application/octet-stream' },
    { key: 'app||text', data: Buffer.from('state: CA'), etag: '1', contentType: 'text/plain' },
    { key: 'app||empty', data: Buffer.alloc(0), etag: '1', contentType: '' },
    ...EMPLOYEES.slice(0, 2),
  ];
  assert.deepEqual(keysOf(query(), items), ['1', '3']);
  assert.deepEqual(keysOf(query({ EQ: { state: 'CA' } }), items), ['3']);
  assert.deepEqual(keysOf(query({}, { sort: [{ key: 'state', order: 'DESC' }] }), items), ['1', '3']);
});

test('JSON scalars and arrays as stored values: paths do not resolve, no crash', () => {
  const items = [item('n', 5), item('s', 'CA'), item('a', ['CA']), item('nul', null), item('o', { state: 'CA' })];
  assert.deepEqual(keysOf(query({ EQ: { state: 'CA' } }), items), ['o']);
  assert.deepEqual(keysOf(query({ NEQ: { state: 'XX' } }), items), ['o']);
  assert.deepEqual(keysOf(query(), items), ['a', 'n', 'nul', 'o', 's']);
});

test('tolerated: the whole filter JSON under one non-operator key', () => {
  const q = { filter: { filter: { type_url: '', value: Buffer.from('{"AND":[{"EQ":{"state":"CA"}},{"GT":{"person.id":1010}}]}') } } };
  assert.deepEqual(keysOf(q, EMPLOYEES), ['3']);
});
