import assert from 'node:assert/strict';
import type { Query__Output } from '../../src/generated/dapr/proto/components/v1/Query.js';
import { StateRequestError } from '../../src/broker/state/state-request-error.js';
import { parseStateQuery, runQuery, type QueryableItem } from '../../src/broker/state/query/run-query.js';

/** A JSON item; the key gets daprd's `app||` prefix as stored keys do. */
export function item(key: string, value: unknown, etag = '1'): QueryableItem {
  return { key: `app||${key}`, data: Buffer.from(JSON.stringify(value)), etag, contentType: 'application/json' };
}

export function rawItem(key: string, data: Buffer | string): QueryableItem {
  return { key: `app||${key}`, data: Buffer.from(data), etag: '1', contentType: '' };
}

/** Query as daprd sends it: one filter entry per top-level operator, operand JSON in Any.value. */
export function query(filter: Record<string, unknown> = {}, rest: Omit<Query__Output, 'filter'> = {}): Query__Output {
  const anys = Object.fromEntries(
    Object.entries(filter).map(([op, operand]) => [op, { type_url: '', value: Buffer.from(JSON.stringify(operand)) }]),
  );
  return { filter: anys, ...rest };
}

/** Keys (without the `app||` prefix) of the whole result, no limit, no size budget. */
export function keysOf(q: Query__Output, items: QueryableItem[]): string[] {
  const page = runQuery(parseStateQuery(q), items, Number.POSITIVE_INFINITY);
  assert.equal(page.token, '');
  return page.items.map((i) => i.key.replace(/^app\|\|/, ''));
}

/** Asserts parseStateQuery refuses `q` with INVALID_ARGUMENT on `field`, message matching `pattern`. */
export function refuses(q: Query__Output | undefined, field: string, pattern: RegExp): void {
  assert.throws(
    () => parseStateQuery(q),
    (err: unknown) => {
      assert.ok(err instanceof StateRequestError, `expected StateRequestError, got ${String(err)}`);
      assert.equal(err.kind, 'INVALID_ARGUMENT');
      assert.equal(err.field, field);
      assert.match(err.message, pattern);
      return true;
    },
  );
}

/** Employees, in the spirit of the Dapr query how-to's data set (keys deliberately unordered). */
export const EMPLOYEES: QueryableItem[] = [
  item('3', { person: { org: 'Dev Ops', id: 1071, name: 'Cy' }, city: 'Sacramento', state: 'CA', tags: ['ops'] }),
  item('1', { person: { org: 'Dev Ops', id: 1036, name: 'Al' }, city: 'Seattle', state: 'WA', tags: ['ops', 'oncall'] }),
  item('2', { person: { org: 'Hardware', id: 1028, name: 'Bo' }, city: 'Portland', state: 'OR' }),
  item('5', { person: { org: 'Finance', id: 1007, name: 'Ed' }, city: 'San Diego', state: 'CA' }),
  item('4', { person: { org: 'Finance', id: 1042, name: 'Di' }, city: 'Spokane', state: 'WA' }),
  item('6', { person: { org: 'Hardware', id: 1002.5, name: 'Fay' }, city: 'Los Angeles', state: 'CA' }),
  item('7', { person: { org: 'Dev Ops', name: 'Gus' }, city: 'Austin', state: 'TX' }),
];
