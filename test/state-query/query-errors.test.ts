import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Query__Output } from '../../src/generated/dapr/proto/components/v1/Query.js';
import { MAX_FILTER_DEPTH } from '../../src/broker/state/query/parse-filter.js';
import { parseStateQuery } from '../../src/broker/state/query/run-query.js';
import { query, refuses } from './query-fixtures.js';

function rawFilter(key: string, value: Buffer | undefined): Query__Output {
  return { filter: { [key]: value === undefined ? { type_url: '' } : { type_url: '', value } } };
}

test('unknown operator, top level and nested, is refused naming it (operators are case-sensitive)', () => {
  refuses(query({ LIKE: { state: 'C%' } }), 'query.filter', /unsupported operator "LIKE"/);
  refuses(query({ eq: { state: 'CA' } }), 'query.filter', /unsupported operator "eq"/);
  refuses(query({ OR: [{ EQ: { a: 1 } }, { NOT: { EQ: { a: 2 } } }] }), 'query.filter', /at OR\[1\]\.NOT: unsupported operator "NOT"/);
});

test('operand bytes that are empty, not UTF-8, or not JSON are refused', () => {
  refuses(rawFilter('EQ', undefined), 'query.filter', /at EQ: operand is empty/);
  refuses(rawFilter('EQ', Buffer.alloc(0)), 'query.filter', /at EQ: operand is empty/);
  refuses(rawFilter('EQ', Buffer.from([0x7b, 0xff, 0x7d])), 'query.filter', /at EQ: operand is not valid UTF-8/);
  refuses(rawFilter('EQ', Buffer.from('{"state":')), 'query.filter', /at EQ: operand is not valid JSON/);
});

test('comparison operands must be one "path": value member', () => {
  refuses(query({ EQ: ['state', 'CA'] }), 'query.filter', /EQ operand must be an object/);
  refuses(query({ NEQ: 'CA' }), 'query.filter', /NEQ operand must be an object/);
  refuses(query({ EQ: {} }), 'query.filter', /EQ operand must have exactly one .* got 0/);
  refuses(query({ EQ: { state: 'CA', city: 'LA' } }), 'query.filter', /EQ operand must have exactly one .* got 2/);
  refuses(query({ EQ: { '': 'CA' } }), 'query.filter', /EQ path "" is empty/);
  refuses(query({ LT: { 'person..id': 3 } }), 'query.filter', /LT path "person\.\.id" is empty or has an empty segment/);
  refuses(query({ GT: { 'person.': 3 } }), 'query.filter', /GT path "person\." /);
});

test('GT/GTE/LT/LTE need a number or a string', () => {
  for (const op of ['GT', 'GTE', 'LT', 'LTE']) {
    refuses(query({ [op]: { n: true } }), 'query.filter', new RegExp(`at ${op}: ${op} on "n" needs a number or a string, got true`));
    refuses(query({ [op]: { n: null } }), 'query.filter', new RegExp(`${op} on "n" needs a number or a string, got null`));
    refuses(query({ [op]: { n: [1] } }), 'query.filter', new RegExp(`${op} on "n" needs a number or a string`));
  }
  // EQ/NEQ accept any JSON value.
  assert.doesNotThrow(() => parseStateQuery(query({ EQ: { n: null } })));
  assert.doesNotThrow(() => parseStateQuery(query({ NEQ: { n: { a: [true] } } })));
});

test('IN needs one path with a non-empty array', () => {
  refuses(query({ IN: { state: 'CA' } }), 'query.filter', /IN on "state" needs an array/);
  refuses(query({ IN: { state: [] } }), 'query.filter', /IN on "state" needs at least one value/);
  refuses(query({ IN: { state: ['CA'], city: ['LA'] } }), 'query.filter', /IN operand must have exactly one/);
});

test('AND/OR need an array of at least two filters (as Dapr), each a one-operator object', () => {
  refuses(query({ AND: { EQ: { a: 1 } } }), 'query.filter', /AND operand must be an array/);
  refuses(query({ OR: [{ EQ: { a: 1 } }] }), 'query.filter', /OR needs at least two filters, got 1/);
  refuses(query({ AND: [] }), 'query.filter', /AND needs at least two filters, got 0/);
  refuses(query({ AND: [{ EQ: { a: 1 } }, 'x'] }), 'query.filter', /at AND\[1\]: a filter must be an object/);
  refuses(query({ AND: [{ EQ: { a: 1 } }, { EQ: { a: 1 }, NEQ: { b: 2 } }] }), 'query.filter', /at AND\[1\]: a filter must have exactly one operator, got 2/);
  refuses(
    query({ AND: [{ EQ: { a: 1 } }, { OR: [{ IN: { s: [] } }, { EQ: { b: 1 } }] }] }),
    'query.filter',
    /at AND\[1\]\.OR\[0\]\.IN: IN on "s" needs at least one value/,
  );
});

test('more than one top-level operator is refused (Dapr: a filter unit has a single element)', () => {
  refuses(query({ EQ: { a: 1 }, NEQ: { b: 2 } }), 'query.filter', /expected one top-level operator, got 2/);
});

test('the tolerated whole-filter form must still hold a known operator', () => {
  refuses(rawFilter('filter', Buffer.from('{"state":"CA"}')), 'query.filter', /at filter: unsupported operator "filter"/);
  refuses(rawFilter('filter', Buffer.from('{"GT":{"n":false}}')), 'query.filter', /at GT: GT on "n" needs a number/);
});

test(`nesting deeper than ${MAX_FILTER_DEPTH} levels is refused; ${MAX_FILTER_DEPTH} is fine`, () => {
  const nest = (levels: number): unknown => {
    let f: unknown = { EQ: { a: 1 } };
    for (let i = 1; i < levels; i += 1) f = { OR: [f, { EQ: { b: i } }] };
    return f;
  };
  const top = (levels: number): Query__Output => {
    const f = nest(levels) as Record<string, unknown>;
    return query(f);
  };
  assert.doesNotThrow(() => parseStateQuery(top(MAX_FILTER_DEPTH)));
  refuses(top(MAX_FILTER_DEPTH + 1), 'query.filter', new RegExp(`nest deeper than ${MAX_FILTER_DEPTH} levels`));
});

test('sort: empty or malformed key and unknown order are refused on query.sort', () => {
  refuses({ sort: [{ key: 'state' }, { key: '' }] }, 'query.sort', /sort\[1\]: key "" is empty/);
  refuses({ sort: [{}] }, 'query.sort', /sort\[0\]: key "" is empty/);
  refuses({ sort: [{ key: 'a..b' }] }, 'query.sort', /sort\[0\]: key "a\.\.b"/);
  refuses({ sort: [{ key: 'a', order: 'DOWN' as 'DESC' }] }, 'query.sort', /sort\[0\]: order "DOWN" is not ASC or DESC/);
});

test('pagination: a token that is not ours is refused on query.pagination.token', () => {
  for (const token of ['abc', '-1', '1.5', ' 2', '2 ', '0x10', '1e3', '9999999999999999']) {
    refuses({ pagination: { token } }, 'query.pagination.token', new RegExp(`token ${JSON.stringify(token).replace(/[.+]/g, '\\$&')}`));
  }
  assert.equal(parseStateQuery({ pagination: { token: '12' } }).offset, 12);
});

test('pagination: a negative limit is refused on query.pagination.limit', () => {
  refuses({ pagination: { limit: '-1' } }, 'query.pagination.limit', /limit "-1"/);
  assert.equal(parseStateQuery({ pagination: { limit: '25' } }).limit, 25);
});

test('a valid query parses into a frozen ParsedQuery', () => {
  const parsed = parseStateQuery(query({ EQ: { state: 'CA' } }, { sort: [{ key: 'city', order: 'DESC' }], pagination: { limit: '5', token: '10' } }));
  assert.ok(Object.isFrozen(parsed) && Object.isFrozen(parsed.sort) && Object.isFrozen(parsed.filter));
  assert.deepEqual(parsed.filter, { op: 'EQ', path: 'state', segments: ['state'], value: 'CA' });
  assert.deepEqual(parsed.sort, [{ path: 'city', segments: ['city'], descending: true }]);
  assert.equal(parsed.limit, 5);
  assert.equal(parsed.offset, 10);
});
