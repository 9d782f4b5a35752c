/**
 * The pub/sub conformance suite, written once and run against each broker (the MQTT.js
 * "abstract store" pattern): `defineConformance('bundled')` runs every scenario,
 * `defineConformance('mosquitto')` the rows marked (M) in acceptance.md plus the plain-MQTT
 * interop checks (every row with CONFORMANCE_ALL_ROWS=1). Everything is driven through the Unix socket the way daprd drives it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { requirePeer } from './require-peer.js';
import { startFixture, type BrokerKind, type Fixture } from './component-fixture.js';
import type { Delivery, MessageHandler } from './daprd-harness.js';
import { expectGrpcError } from './grpc-assert.js';
import {
  assertAckedExactlyOnce,
  assertStreamAlive,
  brokerSupportsSharedSubscriptions,
  DEFAULT_READ_AHEAD,
  numbered,
  payloadsOf,
  publishAll,
  text,
} from './pubsub-scenarios.js';

const ackAll: MessageHandler = () => undefined;

export interface ConformanceOptions {
  /** The broker is missing (e.g. not reachable): every test fails with this one line naming it and how to get it. */
  missingPeer?: string | false;
  /** MQTT protocol level of the component instances and the plain peers (default 4). */
  protocolVersion?: 4 | 5;
  /** `external` brokers (test/interop): the url of the broker the test file started. */
  brokerUrl?: string;
  /** Run every row, not only the (M) ones (the interop suite does). */
  allRows?: boolean;
  /**
   * What the broker lacks (test/interop/broker-profiles.ts): rows that need a missing feature
   * assert instead that it is detected and refused as documented. Default: everything present.
   */
  features?: { readonly qos2: boolean };
}

export function defineConformance(kind: BrokerKind, options: ConformanceOptions = {}): void {
  /** Scenarios every broker runs: rows marked (M) and the interop checks. */
  const both = it;
  /**
   * Scenarios only the bundled broker runs (every broker with CONFORMANCE_ALL_ROWS=1 or allRows).
   * On the other brokers they are not registered at all (no skipped rows): the interop suite
   * (test/interop) runs every row on private brokers.
   */
  const bundledOnly =
    kind === 'bundled' || options.allRows === true || process.env.CONFORMANCE_ALL_ROWS === '1'
      ? it
      : (_name: string, _fn: (t: TestContext) => Promise<void>): void => undefined;

  const version = options.protocolVersion ?? 4;
  const qos2 = options.features?.qos2 ?? true;
  /** The highest QoS the broker grants, as metadata. */
  const topQos = qos2 ? '2' : '1';
  describe(`pub/sub conformance against the ${kind} broker${version === 5 ? ' (MQTT 5)' : ''}`, () => {
    before(() => requirePeer(options.missingPeer));
    let fx: Fixture;
    before(async () => {
      fx = await startFixture({ broker: kind, protocolVersion: version, ...(options.brokerUrl === undefined ? {} : { brokerUrl: options.brokerUrl }) });
    });
    after(async () => {
      await fx?.close();
    });

    both(`Features: exactly the implemented ones${version === 5 ? ', MESSAGE_TTL included (MQTT 5 message expiry)' : '; MESSAGE_TTL absent (daprd applies TTL)'}`, async () => {
      const conn = fx.connect();
      await conn.init({ url: fx.brokerUrl, consumerID: fx.uid('features'), protocolVersion: String(version) });
      const expected = ['BULK_PUBSUB', 'BULK_SUBSCRIBE_IMMEDIATE', 'SUBSCRIBE_WILDCARDS', ...(version === 5 ? ['MESSAGE_TTL'] : [])];
      assert.deepEqual((await conn.features()).sort(), expected.sort());
    });

    both('R3: 10 published messages all arrive within seconds though the app nacks the first two and every 5th', async () => {
      const conn = await fx.initInstance();
      const topic = fx.topic('r3');
      const payloads = numbered('r3', 10);
      const nackOnce = new Set(['r3-0', 'r3-1', 'r3-4', 'r3-9']);
      const seen = new Set<string>();
      const sub = conn.subscribe(topic, {}, (d) => {
        const p = text(d);
        const first = !seen.has(p);
        seen.add(p);
        if (first && nackOnce.has(p)) throw new Error(`app rejects first delivery of ${p}`);
      });
      await sub.ready();
      const start = Date.now();
      await publishAll(conn, topic, payloads);
      await sub.waitFor(() => new Set(sub.acked.map(text)).size === 10, { timeoutMs: 10_000, what: 'all 10 acked' });
      const elapsed = Date.now() - start;

      assertAckedExactlyOnce(sub, payloads);
      assert.deepEqual(payloadsOf(sub.nacked), [...nackOnce].sort(), 'each chosen message was nacked exactly once');
      for (const p of nackOnce) {
        const ids = sub.deliveries.filter((d) => text(d) === p).map((d) => d.id);
        assert.equal(new Set(ids).size, ids.length, `redelivery of ${p} reused a message id: ${ids.join(',')}`);
      }
      assert.ok(elapsed < 10_000, `took ${elapsed} ms`);
      assertStreamAlive(sub);
      await sub.close();
    });

    bundledOnly('R4: two subscriptions on two topics each get exactly their topic; cancelling one leaves the other working', async () => {
      const conn = await fx.initInstance();
      const ta = fx.topic('r4/a');
      const tb = fx.topic('r4/b');
      const subA = conn.subscribe(ta, {}, ackAll);
      const subB = conn.subscribe(tb, {}, ackAll);
      await Promise.all([subA.ready(), subB.ready()]);

      for (let i = 0; i < 5; i++) {
        await conn.publish(ta, `a-${i}`);
        await conn.publish(tb, `b-${i}`);
      }
      await Promise.all([subA.waitForAcked(5), subB.waitForAcked(5)]);
      assert.deepEqual(payloadsOf(subA.acked), numbered('a', 5));
      assert.deepEqual(payloadsOf(subB.acked), numbered('b', 5));
      assert.ok(subA.deliveries.every((d) => d.topicName === ta), 'stream A got a message of another topic');
      assert.ok(subB.deliveries.every((d) => d.topicName === tb), 'stream B got a message of another topic');

      await subA.close();
      for (let i = 5; i < 8; i++) {
        await conn.publish(ta, `a-${i}`);
        await conn.publish(tb, `b-${i}`);
      }
      await subB.waitForAcked(8);
      assert.deepEqual(payloadsOf(subB.acked), numbered('b', 8));
      assert.equal(subA.deliveries.length, 5, 'the cancelled stream received messages after cancel');
      assertStreamAlive(subB);
      await conn.ping();
      await subB.close();
    });

    bundledOnly('R5: 1,000 messages with periodic nacks: every message is eventually acked exactly once', async (t) => {
      const conn = await fx.initInstance({ redeliveryInitialDelay: '10ms', redeliveryMaxDelay: '100ms' });
      const topic = fx.topic('r5');
      const payloads = numbered('r5', 1000);
      const seen = new Set<string>();
      const sub = conn.subscribe(topic, {}, (d) => {
        const p = text(d);
        const first = !seen.has(p);
        seen.add(p);
        // Every 10th message is rejected on its first delivery.
        if (first && Number(p.slice(3)) % 10 === 0) throw new Error('periodic nack');
      });
      await sub.ready();
      const start = Date.now();
      await publishAll(conn, topic, payloads, 20);
      // Bounded by progress: fail once no new message was acked for 5 s (or after 40 s overall).
      let lastCount = 0;
      let lastProgress = Date.now();
      await sub.waitFor(
        () => {
          const distinct = new Set(sub.acked.map(text));
          if (distinct.size > lastCount) {
            lastCount = distinct.size;
            lastProgress = Date.now();
          } else if (Date.now() - lastProgress > 5_000) {
            const missing = payloads.filter((p) => !distinct.has(p));
            throw new Error(
              `no progress for 5 s: ${distinct.size}/1000 acked after ${Date.now() - start} ms; never delivered: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''}`,
            );
          }
          return distinct.size === payloads.length;
        },
        { timeoutMs: 40_000, what: 'all 1,000 acked' },
      );
      // A marker published last: duplicates queued before it show up before it does.
      await conn.publish(topic, 'r5-end');
      await sub.waitFor(() => sub.acked.some((d) => text(d) === 'r5-end'), { what: 'end marker' });
      const duplicates = sub.acked.length - new Set(sub.acked.map(text)).size;
      t.diagnostic(
        `1,000 messages in ${Date.now() - start} ms: ${sub.deliveries.length} deliveries, ${sub.nacked.length} nacks, ${duplicates} duplicate acks, max outstanding ${sub.maxOutstanding}`,
      );
      assertAckedExactlyOnce(sub, [...payloads, 'r5-end']);
      assert.equal(sub.nacked.length, 100, 'each 10th message nacked once');
      assert.equal(sub.maxOutstanding, 1, 'the component sent a message before the previous one was acked');
      assertStreamAlive(sub);
      await sub.close();
    });

    both('R6: two consumerIDs both receive every message while two publishers run concurrently', async () => {
      const topic = fx.topic('r6');
      const [c1, c2, p1, p2] = await Promise.all([fx.initInstance(), fx.initInstance(), fx.initInstance(), fx.initInstance()]);
      const s1 = c1.subscribe(topic, {}, ackAll);
      const s2 = c2.subscribe(topic, {}, ackAll);
      await Promise.all([s1.ready(), s2.ready()]);
      const fromP1 = numbered('p1', 20);
      const fromP2 = numbered('p2', 20);
      await Promise.all([publishAll(p1, topic, fromP1), publishAll(p2, topic, fromP2)]);
      await Promise.all([s1.waitForAcked(40), s2.waitForAcked(40)]);
      const all = [...fromP1, ...fromP2];
      assertAckedExactlyOnce(s1, all);
      assertAckedExactlyOnce(s2, all);
      // Per-publisher order is kept on each subscriber.
      for (const s of [s1, s2]) {
        for (const label of ['p1', 'p2']) {
          const got = s.acked.map(text).filter((p) => p.startsWith(`${label}-`));
          assert.deepEqual(got, numbered(label, 20), `order of ${label} on a subscriber`);
        }
      }
      assertStreamAlive(s1);
      assertStreamAlive(s2);
      await Promise.all([s1.close(), s2.close()]);
    });

    both('R7: `orders/#` and `$share/<group>/mytopic/+/hello` on one component instance', async () => {
      if (kind === 'bundled') {
        assert.ok(await brokerSupportsSharedSubscriptions(fx), 'the bundled broker must route $share/<group>/... subscriptions (checked with plain MQTT clients)');
      }
      const conn = await fx.initInstance();
      const group = fx.uid('group');
      const orders = conn.subscribe(fx.topic('orders/#'), {}, ackAll);
      const shared = conn.subscribe(`$share/${group}/${fx.topic('mytopic/+/hello')}`, {}, ackAll);
      await Promise.all([orders.ready(), shared.ready()]);

      const publishes = [
        'orders/1',
        'orders/eu/2',
        'order',
        'mytopic/a/hello',
        'mytopic/b/hello',
        'mytopic/a/bye',
        'mytopic/a/b/hello',
        // Markers last: once both arrive, anything earlier has been routed.
        'orders/zz-end',
        'mytopic/zz-end/hello',
      ];
      for (const name of publishes) await conn.publish(fx.topic(name), name);
      await orders.waitFor(() => orders.acked.some((d) => text(d) === 'orders/zz-end'), { what: 'orders marker' });
      await shared.waitFor(() => shared.acked.some((d) => text(d) === 'mytopic/zz-end/hello'), { what: 'shared marker' });

      assert.deepEqual(payloadsOf(orders.acked), ['orders/1', 'orders/eu/2', 'orders/zz-end']);
      assert.deepEqual(payloadsOf(shared.acked), ['mytopic/a/hello', 'mytopic/b/hello', 'mytopic/zz-end/hello']);
      for (const d of [...orders.acked, ...shared.acked]) {
        assert.equal(d.topicName, fx.topic(text(d)), 'topic_name must be the concrete topic');
      }
      assertStreamAlive(orders);
      assertStreamAlive(shared);
      await Promise.all([orders.close(), shared.close()]);
    });

    both('N1: a nacked message is redelivered by the component with backoff', async (t) => {
      const conn = await fx.initInstance({ redeliveryInitialDelay: '200ms', redeliveryMaxDelay: '2s' });
      const topic = fx.topic('n1');
      let rejections = 0;
      const sub = conn.subscribe(topic, {}, (d) => {
        if (text(d) === 'n1-payload' && rejections < 3) {
          rejections += 1;
          throw new Error(`app failure ${rejections}`);
        }
      });
      await sub.ready();
      await conn.publish(topic, 'n1-payload');
      await sub.waitForAcked(1, { timeoutMs: 10_000 });

      const attempts = sub.deliveries.filter((d) => text(d) === 'n1-payload');
      assert.equal(attempts.length, 4, 'three nacks then one ack');
      assert.deepEqual(
        attempts.map((d) => d.outcome),
        ['nack', 'nack', 'nack', 'ack'],
      );
      assert.equal(new Set(attempts.map((d) => d.id)).size, 4, 'every redelivery has a new id');
      assert.ok(attempts.every((d) => d.topicName === topic));
      const gaps = attempts.slice(1).map((d, i) => d.receivedAt - attempts[i]!.receivedAt);
      t.diagnostic(`redelivery gaps: ${gaps.join(', ')} ms`);
      for (const gap of gaps) assert.ok(gap >= 100, `redelivered after ${gap} ms: no backoff (redeliveryInitialDelay 200ms)`);

      // The stream keeps working after the redeliveries.
      await conn.publish(topic, 'n1-after');
      await sub.waitFor(() => sub.acked.some((d) => text(d) === 'n1-after'), { what: 'n1-after' });
      assertAckedExactlyOnce(sub, ['n1-payload', 'n1-after']);
      assertStreamAlive(sub);
      await sub.close();
    });

    bundledOnly('N4: overlapping subscriptions a/# and a/+ each get the message, exactly once', async () => {
      const conn = await fx.initInstance();
      const hash = conn.subscribe(fx.topic('n4/#'), {}, ackAll);
      const plus = conn.subscribe(fx.topic('n4/+'), {}, ackAll);
      await Promise.all([hash.ready(), plus.ready()]);
      const five = numbered('x', 5);
      for (const p of five) await conn.publish(fx.topic('n4/x'), p);
      await conn.publish(fx.topic('n4/x/y'), 'deep');
      await conn.publish(fx.topic('n4/end'), 'end');
      await Promise.all([
        hash.waitFor(() => hash.acked.some((d) => text(d) === 'end'), { what: 'end marker on a/#' }),
        plus.waitFor(() => plus.acked.some((d) => text(d) === 'end'), { what: 'end marker on a/+' }),
      ]);
      assert.deepEqual(hash.acked.map(text), [...five, 'deep', 'end']);
      assert.deepEqual(plus.acked.map(text), [...five, 'end']);
      assertStreamAlive(hash);
      assertStreamAlive(plus);
      await Promise.all([hash.close(), plus.close()]);
    });

    bundledOnly('N6: sustained nacks on one topic never stall another topic', async () => {
      const conn = await fx.initInstance({ redeliveryInitialDelay: '20ms', redeliveryMaxDelay: '100ms' });
      const bad = conn.subscribe(fx.topic('n6/bad'), {}, () => {
        throw new Error('always failing');
      });
      const good = conn.subscribe(fx.topic('n6/good'), {}, ackAll);
      await Promise.all([bad.ready(), good.ready()]);
      for (const p of numbered('bad', 3)) await conn.publish(fx.topic('n6/bad'), p);
      await bad.waitFor(6, { what: 'repeated redeliveries on the failing topic' });
      const badBefore = bad.deliveries.length;

      const payloads = numbered('good', 20);
      const start = Date.now();
      await publishAll(conn, fx.topic('n6/good'), payloads);
      await good.waitForAcked(20, { timeoutMs: 5_000 });
      assertAckedExactlyOnce(good, payloads);
      assert.ok(Date.now() - start < 5_000);
      // ...while the failing topic keeps being redelivered.
      await bad.waitFor(badBefore + 3, { what: 'more redeliveries on the failing topic' });
      assert.equal(bad.acked.length, 0);
      assertStreamAlive(bad);
      assertStreamAlive(good);
      await bad.close();
      await good.close();
    });

    bundledOnly('N7: per-topic order is preserved; one message at a time by default, at most deliveryReadAhead unacked with read-ahead', async () => {
      // The stand-in handles a stream's messages one after another, as daprd 1.16–1.18 does.
      for (const readAhead of [undefined, '8'] as const) {
        const conn = await fx.initInstance(readAhead === undefined ? {} : { deliveryReadAhead: readAhead });
        const topic = fx.topic('n7');
        const sub = conn.subscribe(topic, {}, async () => {
          // A slow app: the component must still hand messages over in order, within its read-ahead.
          await new Promise((r) => setImmediate(r));
        });
        await sub.ready();
        const payloads = numbered('n7', 100);
        await publishAll(conn, topic, payloads);
        await sub.waitForAcked(100);
        assert.deepEqual(sub.deliveries.map(text), payloads, 'handed over in publish order');
        assert.deepEqual(sub.acked.map(text), payloads);
        assert.equal(sub.nacked.length, 0);
        const limit = Number(readAhead ?? DEFAULT_READ_AHEAD);
        assert.ok(sub.maxOutstanding >= 1 && sub.maxOutstanding <= limit, `${sub.maxOutstanding} unacked at once, above deliveryReadAhead ${limit}`);
        if (readAhead === undefined) assert.equal(sub.maxOutstanding, 1, 'by default the component sent a message before the previous one was acked');
        assertStreamAlive(sub);
        await sub.close();
      }
    });

    if (!qos2) {
      bundledOnly('N8 (QoS 2 absent): Init with qos 2 and Publish metadata qos 2 fail with FAILED_PRECONDITION naming qos; nothing retriable', async () => {
        const conn = fx.connect();
        await expectGrpcError(conn.init({ url: fx.brokerUrl, consumerID: fx.uid('q2'), qos: '2' }), 'FAILED_PRECONDITION', ['qos'], 'Init with qos 2');
        const ok = await fx.initInstance({ qos: '1' });
        const topic = fx.topic('n8/q2-refused');
        await expectGrpcError(ok.publish(topic, 'never', { qos: '2' }), 'FAILED_PRECONDITION', ['qos'], 'Publish with metadata qos 2');
        await ok.publish(topic, 'still-fine', { qos: '1' });
        await ok.ping();
      });
    }
    for (const qos of (qos2 ? ['0', '1', '2'] : ['0', '1']) as Array<'0' | '1' | '2'>) {
      bundledOnly(`N8: QoS ${qos} publish and subscribe work end to end`, async () => {
        const conn = await fx.initInstance({ qos });
        const topic = fx.topic(`n8/q${qos}`);
        const peer = await fx.peer();
        const observed = await peer.subscribe(topic, 2);
        const sub = conn.subscribe(topic, {}, ackAll);
        await sub.ready();
        const payloads = numbered(`q${qos}`, 5);
        await publishAll(conn, topic, payloads);
        await sub.waitForAcked(5);
        await observed.waitFor(5);
        assert.deepEqual(sub.acked.map(text), payloads);
        assert.ok(sub.acked.every((d) => d.metadata.qos === qos), `delivered qos metadata: ${sub.acked.map((d) => d.metadata.qos).join(',')}`);
        const onWire = observed.messages.filter((m) => payloads.includes(text(m)));
        assert.deepEqual(onWire.map((m) => m.qos), [qos, qos, qos, qos, qos].map(Number), 'QoS of the PUBLISH packets on the broker');
        assertStreamAlive(sub);
        await sub.close();
      });
    }

    bundledOnly('N9: per-request retain and qos override the component defaults', async () => {
      const lowDefaults = await fx.initInstance({ qos: '0', retain: 'false' });
      const highDefaults = await fx.initInstance({ qos: topQos, retain: 'true' });
      const t1 = fx.topic('n9/raised');
      const t2 = fx.topic('n9/lowered');
      fx.trackRetained(t1);
      fx.trackRetained(t2);
      const live = await fx.peer();
      const l1 = await live.subscribe(t1, 2);
      const l2 = await live.subscribe(t2, 2);

      await lowDefaults.publish(t1, 'raised', { qos: topQos, retain: 'true' });
      await highDefaults.publish(t2, 'lowered', { qos: '0', retain: 'false' });
      await l1.waitFor(1);
      await l2.waitFor(1);
      assert.equal(l1.messages[0]!.qos, Number(topQos), `qos override ${topQos} over default 0`);
      assert.equal(l2.messages[0]!.qos, 0, `qos override 0 over default ${topQos}`);

      // Retain is visible to a subscriber that arrives later.
      const late = await fx.peer();
      const r1 = await late.subscribe(t1, 2);
      const r2 = await late.subscribe(t2, 2);
      await r1.waitFor(1);
      assert.equal(text(r1.messages[0]!), 'raised');
      assert.equal(r1.messages[0]!.retain, true, 'retain override true over default false');
      // A marker after the SUBACK: a retained message would have been sent before it.
      await highDefaults.publish(t2, 'marker', { retain: 'false' });
      await r2.waitFor(1);
      assert.deepEqual(r2.messages.map(text), ['marker'], 'retain override false over default true: nothing retained');

      for (const md of [{ qos: '3' }, { qos: 'x' }, { qos: '-1' }, { qos: '1.5' }]) {
        await expectGrpcError(lowDefaults.publish(t1, 'bad', md), 'INVALID_ARGUMENT', ['qos'], `Publish with metadata ${JSON.stringify(md)}`);
      }
      for (const md of [{ retain: 'maybe' }, { retain: '2' }]) {
        await expectGrpcError(lowDefaults.publish(t1, 'bad', md), 'INVALID_ARGUMENT', ['retain'], `Publish with metadata ${JSON.stringify(md)}`);
      }
      await lowDefaults.ping();
    });

    bundledOnly('N10: delivered metadata carries the concrete topic, retained, qos and dup; data unchanged', async () => {
      const conn = await fx.initInstance();
      const sub = conn.subscribe(fx.topic('n10/+/data'), {}, ackAll);
      await sub.ready();
      const binary = Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x80, 0x7f, 0x00]);
      const concrete = fx.topic('n10/dev-1/data');
      await conn.publish(concrete, binary);
      await conn.publish(fx.topic('n10/dev-2/data'), 'second');
      await sub.waitForAcked(2);
      const [first, second] = sub.acked as [Delivery, Delivery];
      assert.deepEqual(first.data, binary, 'payload bytes must be unchanged');
      assert.equal(first.topicName, concrete);
      assert.deepEqual(
        { topic: first.metadata.topic, retained: first.metadata.retained, qos: first.metadata.qos, dup: first.metadata.dup },
        { topic: concrete, retained: 'false', qos: '1', dup: 'false' },
      );
      assert.equal(second.topicName, fx.topic('n10/dev-2/data'));
      assert.ok(first.id.length > 0 && second.id.length > 0, 'ids must be set');
      assert.notEqual(first.id, second.id);
      assertStreamAlive(sub);
      await sub.close();
    });

    bundledOnly('N11: a retained message is delivered on subscribe with retained=true', async () => {
      const publisher = await fx.initInstance();
      const topic = fx.topic('n11');
      fx.trackRetained(topic);
      await publisher.publish(topic, 'kept', { retain: 'true' });

      // Shared subscriptions never receive retained messages on subscribe (MQTT 5 §4.8.2), so a
      // subscriber that wants the retained value turns sharing off.
      const subscriber = await fx.initInstance({ sharedSubscriptions: 'false' });
      const sub = subscriber.subscribe(topic, {}, ackAll);
      await sub.waitFor(() => sub.acked.some((d) => text(d) === 'kept'), { what: 'the retained message' });
      await sub.ready();
      await publisher.publish(topic, 'live');
      await sub.waitFor(() => sub.acked.some((d) => text(d) === 'live'), { what: 'the live message' });
      const kept = sub.acked.find((d) => text(d) === 'kept')!;
      const live = sub.acked.find((d) => text(d) === 'live')!;
      assert.equal(kept.metadata.retained, 'true');
      assert.equal(live.metadata.retained, 'false');
      assert.equal(kept.topicName, topic);
      assertStreamAlive(sub);
      await sub.close();
    });

    both('interop: a plain MQTT.js publisher reaches the PullMessages stream unchanged', async () => {
      const conn = await fx.initInstance();
      const topic = fx.topic('interop/in');
      const sub = conn.subscribe(topic, {}, ackAll);
      await sub.ready();
      const peer = await fx.peer();
      const payload = Buffer.from('{"from":"device","bytes":"\u00ff"}\u0000', 'utf8');
      await peer.publish(topic, payload, { qos: 1 });
      await sub.waitForAcked(1);
      const [d] = sub.acked as [Delivery];
      assert.deepEqual(d.data, payload);
      assert.equal(d.topicName, topic);
      assert.equal(d.metadata.qos, '1');
      assert.equal(d.metadata.retained, 'false');
      assertStreamAlive(sub);
      await sub.close();
    });

    both("interop: the component's publishes reach a plain MQTT.js subscriber with the right QoS and retain flag", async () => {
      const defaults = await fx.initInstance();
      const retaining = await fx.initInstance({ retain: 'true', qos: topQos });
      const plain = fx.topic('interop/out-plain');
      const kept = fx.topic('interop/out-retained');
      fx.trackRetained(plain);
      fx.trackRetained(kept);
      const peer = await fx.peer();
      const live = await peer.subscribe(plain, 2);
      const body = Buffer.from([0xde, 0xad, 0xbe, 0xef]);
      await defaults.publish(plain, body);
      await live.waitFor(1);
      assert.deepEqual(live.messages[0]!.payload, body);
      assert.equal(live.messages[0]!.qos, 1, 'default qos is 1');
      assert.equal(live.messages[0]!.retain, false);

      await retaining.publish(kept, 'retained-body');
      const late = await fx.peer();
      const got = await late.subscribe(kept, 2);
      await got.waitFor(1);
      assert.equal(text(got.messages[0]!), 'retained-body');
      assert.equal(got.messages[0]!.retain, true, 'retain=true in Init must publish retained');
      assert.equal(got.messages[0]!.qos, Number(topQos), `qos=${topQos} in Init`);

      // Nothing was retained by the default instance.
      const late2 = await fx.peer();
      const none = await late2.subscribe(plain, 2);
      await defaults.publish(plain, 'marker');
      await none.waitFor(1);
      assert.deepEqual(none.messages.map(text), ['marker']);
    });
  });
}
