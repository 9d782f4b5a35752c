/**
 * The I rows of acceptance.md against one broker the test file started, driven through the
 * gRPC socket like daprd: default metadata delivers everything (I1), and each feature of the
 * broker's profile is either shown to work or shown to be detected and handled as documented
 * (I2). Then the shared pub/sub conformance suite with the profile's missing features declared.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFixture, type Fixture } from '../helpers/component-fixture.js';
import { expectGrpcError } from '../helpers/grpc-assert.js';
import { defineConformance } from '../helpers/pubsub-conformance.js';
import { assertAckedExactlyOnce, assertStreamAlive, counts, numbered, publishAll, text } from '../helpers/pubsub-scenarios.js';
import type { BrokerProfile } from './broker-profiles.js';

export function defineBrokerScenarios(profile: BrokerProfile, brokerUrl: string): void {
  const { features } = profile;
  describe(`interop: ${profile.name} ${profile.version}`, () => {
    let fx: Fixture;
    before(async () => {
      fx = await startFixture({ broker: 'external', brokerUrl });
    });
    after(async () => {
      await fx?.close();
    });

    it('I1: with only url and consumerID, 5 published messages are all delivered', async () => {
      const conn = await fx.initInstance();
      const topic = fx.topic('i1');
      const sub = conn.subscribe(topic, {}, () => undefined);
      await sub.ready();
      const payloads = numbered('i1', 5);
      await publishAll(conn, topic, payloads);
      await sub.waitForAcked(5, { timeoutMs: 10_000 });
      assertAckedExactlyOnce(sub, payloads);
      assertStreamAlive(sub);
      await sub.close();
    });

    const shareTitle = features.sharedSubscriptions
      ? 'I2 shared subscriptions present: two replicas of one consumerID split 40 messages, each handled exactly once'
      : 'I2 shared subscriptions absent: detected at Init, the replicas subscribe plainly and each gets all 40 messages (none lost)';
    it(shareTitle, async () => {
      const group = fx.uid('group');
      const topic = fx.topic('i2-share');
      const [r1, r2, pub] = [await fx.initInstance({ consumerID: group }), await fx.initInstance({ consumerID: group }), await fx.initInstance()];
      const s1 = r1.subscribe(topic, {}, () => undefined);
      const s2 = r2.subscribe(topic, {}, () => undefined);
      await Promise.all([s1.ready(), s2.ready()]);
      const payloads = numbered('s', 40);
      await publishAll(pub, topic, payloads, 4);
      await pub.publish(topic, 'end');
      const both = (): string[] => [...s1.acked, ...s2.acked].map(text);
      if (features.sharedSubscriptions) {
        await s1.waitFor(() => both().filter((p) => p !== 'end').length >= 40 && both().includes('end'), { timeoutMs: 15_000, what: 'all 40 across the two replicas' });
        const c = counts(both().filter((p) => p !== 'end'));
        assert.deepEqual([...c.keys()].sort(), [...payloads].sort(), 'every message reached one replica');
        assert.ok([...c.values()].every((n) => n === 1), 'a message reached both replicas: the share group did not split');
      } else {
        await s1.waitFor(() => s1.acked.some((d) => text(d) === 'end') && s2.acked.some((d) => text(d) === 'end'), { timeoutMs: 15_000, what: 'the end marker on both replicas' });
        assertAckedExactlyOnce(s1, [...payloads, 'end']);
        assertAckedExactlyOnce(s2, [...payloads, 'end']);
      }
      assertStreamAlive(s1);
      assertStreamAlive(s2);
      await Promise.all([s1.close(), s2.close()]);
    });

    it(`I2 a topic naming its own $share/<group>/, with sharedSubscriptions false: ${features.sharedSubscriptions ? 'the group is used' : 'the prefix is dropped'} and every message arrives`, async () => {
      const conn = await fx.initInstance({ sharedSubscriptions: 'false' });
      const topic = fx.topic('i2-own-share');
      const sub = conn.subscribe(`$share/${fx.uid('own')}/${topic}`, {}, () => undefined);
      await sub.ready();
      const payloads = numbered('own', 5);
      await publishAll(conn, topic, payloads);
      await sub.waitForAcked(5);
      assertAckedExactlyOnce(sub, payloads);
      assertStreamAlive(sub);
      await sub.close();
    });

    if (!features.qos2) {
      it('I2 QoS 2 absent: a subscription asking for QoS 2 (subscription metadata) takes the QoS 1 the broker grants and delivers', async () => {
        const conn = await fx.initInstance({ qos: '1' });
        const topic = fx.topic('i2-sub-q2');
        const sub = conn.subscribe(topic, { qos: '2' }, () => undefined);
        await sub.ready();
        const payloads = numbered('sq', 5);
        await publishAll(conn, topic, payloads);
        await sub.waitForAcked(5);
        assertAckedExactlyOnce(sub, payloads);
        assert.ok(sub.acked.every((d) => d.metadata.qos === '1'), `delivered at qos ${sub.acked.map((d) => d.metadata.qos).join(',')}`);
        assertStreamAlive(sub);
        await sub.close();
      });
    }

    if (features.mqtt5) {
      it('I2 MQTT 5 present: an instance with protocolVersion 5 delivers', async () => {
        const conn = await fx.initInstance({ protocolVersion: '5' });
        const topic = fx.topic('i2-v5');
        const sub = conn.subscribe(topic, {}, () => undefined);
        await sub.ready();
        await conn.publish(topic, 'v5', { color: 'blue' });
        await sub.waitForAcked(1);
        assert.equal(sub.acked[0]!.metadata.color, 'blue', 'metadata travels as an MQTT 5 user property');
        await sub.close();
      });
    } else {
      it('I2 MQTT 5 absent: Init with protocolVersion 5 fails with FAILED_PRECONDITION naming protocolVersion', async () => {
        const conn = fx.connect();
        await expectGrpcError(conn.init({ url: fx.brokerUrl, consumerID: fx.uid('v5'), protocolVersion: '5' }), 'FAILED_PRECONDITION', ['protocolVersion'], 'Init with protocolVersion 5');
      });
    }
  });

  defineConformance('external', { brokerUrl, allRows: true, features: { qos2: features.qos2 } });
}
