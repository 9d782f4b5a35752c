/** InstanceRegistry (src/grpc) on plain closable objects: replace, serialise, limit, close. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isComponentError } from '../../src/errors/component-error.js';
import { InstanceLimit, InstanceRegistry } from '../../src/grpc/instance-registry.js';

class Thing {
  closed = false;
  constructor(readonly name: string) {}
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
const codeOf = (e: unknown): string => (isComponentError(e) ? e.code : String(e));

test('Init creates; a second Init of the same instance closes the first and replaces it', async () => {
  const registry = new InstanceRegistry<Thing>('pubsub');
  const a = await registry.init('x', async () => new Thing('a'));
  assert.equal(registry.get('x'), a);
  const b = await registry.init('x', async () => new Thing('b'));
  assert.equal(a.closed, true);
  assert.equal(registry.get('x'), b);
  assert.deepEqual(registry.entries().map(([n, t]) => `${n}=${t.name}`), ['x=b']);
});

test('Inits of one instance run one after another; a failed one leaves the previous closed and none live', async () => {
  const registry = new InstanceRegistry<Thing>('state');
  const order: string[] = [];
  let release: () => void = () => undefined;
  const slow = registry.init('x', async () => {
    order.push('start a');
    await new Promise<void>((r) => (release = r));
    order.push('end a');
    return new Thing('a');
  });
  const failing = registry.init('x', async () => {
    order.push('start b');
    throw new Error('bad metadata');
  });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, ['start a'], 'b waits for a');
  release();
  const a = await slow;
  await assert.rejects(failing, /bad metadata/);
  assert.deepEqual(order, ['start a', 'end a', 'start b']);
  assert.equal(a.closed, true, 'replaced by the second Init, even though it failed');
  assert.throws(() => registry.get('x'), (e: unknown) => codeOf(e) === 'ERR_NOT_INITIALIZED');
});

test('MAX_INSTANCES counts across registries; re-Init is allowed at the limit; a failed Init does not count', async () => {
  const limit = new InstanceLimit(2);
  const pubsub = new InstanceRegistry<Thing>('pubsub', limit);
  const state = new InstanceRegistry<Thing>('state', limit);
  await pubsub.init('p', async () => new Thing('p'));
  await assert.rejects(state.init('s0', async () => Promise.reject(new Error('no'))), /no/);
  await state.init('s', async () => new Thing('s'));
  await pubsub.init('p', async () => new Thing('p2'));
  await assert.rejects(pubsub.init('q', async () => new Thing('q')), (e: unknown) => codeOf(e) === 'ERR_INSTANCE_LIMIT' && /MAX_INSTANCES \(2\)/.test((e as Error).message));
});

test('close() closes every live instance, frees their names, and refuses later Inits', async () => {
  const limit = new InstanceLimit(1);
  const registry = new InstanceRegistry<Thing>('pubsub', limit);
  const a = await registry.init('a', async () => new Thing('a'));
  await registry.close();
  assert.equal(a.closed, true);
  assert.equal(limit.names.size, 0);
  assert.deepEqual(registry.all(), []);
  await assert.rejects(registry.init('b', async () => new Thing('b')), (e: unknown) => codeOf(e) === 'ERR_SHUTTING_DOWN');
});
