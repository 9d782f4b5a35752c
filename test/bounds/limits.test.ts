/**
 * The component's bounds, one by one: the publisher's pending cap (RESOURCE_EXHAUSTED at once
 * beyond in-flight + pending), BulkPublish entries at most maxInflightPublishes at a time,
 * MAX_INSTANCES (pub/sub and state together; re-Init allowed; a failed Init does not count),
 * MAX_STREAMS and MAX_INSTANCES from the environment, through the real component process.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { COMPONENT_LIMIT_DEFAULTS, parseEnv } from '../../src/config/env.js';
import { ComponentError, isComponentError } from '../../src/errors/component-error.js';
import { InstanceLimit, InstanceRegistry } from '../../src/grpc/instance-registry.js';
import { PUBSUB_LABELS, Publisher } from '../../src/mqtt/publisher.js';
import { settleBounded } from '../../src/pubsub/settle-bounded.js';
import { randomId } from '../helpers/component-fixture.js';
import { FakeLink } from '../helpers/fake-link.js';
import { connectPubSub } from '../helpers/daprd-harness.js';
import { expectGrpcError } from '../helpers/grpc-assert.js';
import { connectState } from '../helpers/state-harness.js';
import { startBoundsBench, type BoundsBench } from './bounds-fixture.js';

/** A link that is up and never acknowledges until told to. */
function silentBroker(): { link: FakeLink; readonly sent: number; ackAll(): void } {
  const link = new FakeLink();
  link.up();
  return {
    link,
    get sent() {
      return link.open().length;
    },
    ackAll() {
      for (const p of link.open()) p.complete();
    },
  };
}

describe('bounds, in process', () => {
  it('Publisher: maxInflight in flight, maxPending waiting, the rest RESOURCE_EXHAUSTED at once; waiting ones go on when slots free', async () => {
    const broker = silentBroker();
    const publisher = new Publisher(broker.link, 5_000, 2, PUBSUB_LABELS, 3);
    const outcomes: Array<'ok' | string> = new Array(10).fill('');
    const calls = Array.from({ length: 10 }, (_, i) =>
      publisher.publish('t', Buffer.from('x'), { qos: 1, retain: false }).then(
        () => (outcomes[i] = 'ok'),
        (err: unknown) => (outcomes[i] = isComponentError(err) ? err.code : String(err)),
      ),
    );
    await new Promise((r) => setImmediate(r));
    assert.equal(broker.sent, 2, 'two in flight');
    assert.deepEqual(outcomes.slice(5), Array(5).fill('ERR_PUBLISH_OVERLOADED'), 'five refused at once');
    assert.deepEqual(outcomes.slice(0, 5), Array(5).fill(''), 'five still going');
    while (outcomes.slice(0, 5).some((o) => o === '')) {
      broker.ackAll();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(calls);
    assert.deepEqual(outcomes.slice(0, 5), Array(5).fill('ok'));
    const again = publisher.publish('t', Buffer.from('x'), { qos: 1, retain: false });
    await new Promise((r) => setImmediate(r));
    assert.equal(broker.sent, 1, 'slots are free again: sent at once');
    broker.ackAll();
    await again;
  });

  it('Publisher with maxPending 0: no waiting at all', async () => {
    const broker = silentBroker();
    const publisher = new Publisher(broker.link, 5_000, 1, PUBSUB_LABELS, 0);
    const first = publisher.publish('t', Buffer.from('x'), { qos: 1, retain: false });
    await assert.rejects(publisher.publish('t', Buffer.from('y'), { qos: 1, retain: false }), (e: unknown) => isComponentError(e) && e.status === 'RESOURCE_EXHAUSTED' && /maxPendingPublishes/.test(e.message));
    broker.ackAll();
    await first;
  });

  it('settleBounded: at most `limit` at once, started in order, results in order', async () => {
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const results = await settleBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      started.push(n);
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setImmediate(r));
      running -= 1;
      if (n === 4) throw new Error('four');
      return n * 10;
    });
    assert.equal(most, 3);
    assert.deepEqual(started, [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)), [10, 20, 30, 'four', 50, 60, 70]);
  });

  it('InstanceRegistry with a shared InstanceLimit: new instances beyond it refused; re-Init allowed; failed Inits and closed registries free their names', async () => {
    const limit = new InstanceLimit(2);
    const closable = () => ({ close: async () => undefined });
    const pubsub = new InstanceRegistry<ReturnType<typeof closable>>('pubsub', limit);
    const state = new InstanceRegistry<ReturnType<typeof closable>>('state', limit);
    await pubsub.init('a', async () => closable());
    await assert.rejects(pubsub.init('bad', async () => Promise.reject(new ComponentError('ERR_CONFIG_INVALID', 'no'))));
    await state.init('a', async () => closable()); // another block, same name: counts separately
    await assert.rejects(pubsub.init('b', async () => closable()), (e: unknown) => isComponentError(e) && e.code === 'ERR_INSTANCE_LIMIT' && /MAX_INSTANCES \(2\)/.test(e.message));
    await pubsub.init('a', async () => closable()); // re-Init
    await state.close();
    await pubsub.init('b', async () => closable());
    assert.equal(limit.names.size, 2);
  });

  it('MAX_STREAMS and MAX_INSTANCES: defaults 1024 and 256; bad values name the variable', () => {
    const env = parseEnv({});
    assert.equal(env.maxStreams, COMPONENT_LIMIT_DEFAULTS.maxStreams);
    assert.equal(env.maxStreams, 1024);
    assert.equal(env.maxInstances, 256);
    assert.equal(parseEnv({ MAX_STREAMS: '10', MAX_INSTANCES: '3' }).maxStreams, 10);
    for (const name of ['MAX_STREAMS', 'MAX_INSTANCES']) {
      for (const bad of ['0', '-1', 'lots']) assert.throws(() => parseEnv({ [name]: bad }), new RegExp(name));
    }
  });
});

describe('MAX_INSTANCES and MAX_STREAMS through the component process', () => {
  let bench: BoundsBench;
  before(async () => {
    bench = await startBoundsBench({ MAX_INSTANCES: '2', MAX_STREAMS: '2' });
  });
  after(async () => {
    await bench?.close();
  });

  it('a third instance (pub/sub or state) is refused with RESOURCE_EXHAUSTED naming MAX_INSTANCES; re-Init works; a third stream is refused naming MAX_STREAMS', async () => {
    const a = connectPubSub(bench.component.socketPath, 'a');
    const bad = connectPubSub(bench.component.socketPath, 'bad');
    const b = connectPubSub(bench.component.socketPath, 'b');
    const s = connectState(bench.component.socketPath, 's');
    try {
      await a.init({ url: bench.url, consumerID: randomId('lim') });
      await expectGrpcError(bad.init({ url: 'nope://x', consumerID: 'c' }), 'INVALID_ARGUMENT', ['url']);
      await s.init({ url: bench.url });
      await expectGrpcError(b.init({ url: bench.url, consumerID: randomId('lim') }), 'RESOURCE_EXHAUSTED', ['MAX_INSTANCES']);
      await expectGrpcError(bad.init({ url: bench.url, consumerID: randomId('lim') }), 'RESOURCE_EXHAUSTED', ['MAX_INSTANCES']);
      await a.init({ url: bench.url, consumerID: randomId('lim') });
      await a.ping();

      const topic = `${randomId('lim')}/t`;
      const one = a.subscribe(`${topic}/1`, {}, () => {});
      const two = a.subscribe(`${topic}/2`, {}, () => {});
      await Promise.all([one.ready(), two.ready()]);
      const three = a.subscribe(`${topic}/3`, {}, () => {});
      const err = await three.waitForServerEnd();
      assert.equal(err?.code, 8, `RESOURCE_EXHAUSTED, got ${err?.code}: ${err?.details}`);
      assert.match(err?.details ?? '', /MAX_STREAMS \(2\)/);
      await Promise.all([one.close(), two.close()]);
    } finally {
      await Promise.all([a.close(), bad.close(), b.close()]);
      s.close();
    }
  });
});
