/**
 * MQTT 5 message expiry (`ttlInSeconds` → Message Expiry Interval, Features: MESSAGE_TTL),
 * against the shared Mosquitto: a message whose lifetime ended is never delivered, whether it
 * waited at the broker for an offline subscriber, in the component while daprd paused the
 * subscription, or in the component between redeliveries after nacks.
 *
 * Expiry is about time passing, so these tests let one second of lifetime pass on the clock;
 * everything else is awaited by condition.
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { isReachable, MOSQUITTO_URL, startFixture, type Fixture } from '../helpers/component-fixture.js';
import { mosquittoUnreachable, requirePeer } from '../helpers/require-peer.js';
import { payloadsOf, text } from '../helpers/pubsub-scenarios.js';

const reachable = await isReachable(MOSQUITTO_URL);
const ack = (): void => undefined;

/** Waits until `ms` have passed since `since`: the time a 1 s message lifetime needs to run out. */
async function lifetimePassed(since: number, ms = 2_100): Promise<void> {
  await delay(Math.max(0, since + ms - Date.now()));
}

describe('MQTT 5 message expiry (Mosquitto, M)', () => {
  before(() => requirePeer(reachable ? false : mosquittoUnreachable(MOSQUITTO_URL)));
  let fx: Fixture;
  before(async () => {
    fx = await startFixture({ broker: 'mosquitto', protocolVersion: 5 });
  });
  after(async () => {
    await fx?.close();
  });

  it('offline subscriber: a message with ttlInSeconds=1 expires at the broker and is never delivered; the others are', async () => {
    // A persistent session that outlives the test by little (the shared Mosquitto keeps it 30 s).
    const subscriber = await fx.initInstance({ sessionExpiryInterval: '30', sharedSubscriptions: 'false' });
    const publisher = await fx.initInstance();
    const topic = fx.topic('ttl/offline');
    const first = subscriber.subscribe(topic, {}, ack);
    await first.ready();
    await first.close(); // the subscriber goes away; its session (and subscription) stays

    const sent = Date.now();
    await publisher.publish(topic, 'short', { ttlInSeconds: '1' });
    await publisher.publish(topic, 'long', { ttlInSeconds: '60' });
    await publisher.publish(topic, 'none');
    await lifetimePassed(sent);

    const again = subscriber.subscribe(topic, {}, ack);
    await again.waitFor(() => again.acked.length >= 2, { what: 'the queued messages that had not expired' });
    await again.ready(); // a probe after them: anything else queued would have come before it
    assert.deepEqual(payloadsOf(again.acked), ['long', 'none'], 'the expired message was delivered');
    await again.close();
  });

  it('paused subscription: a message the component holds past its expiry is dropped, the next one is delivered', async () => {
    const conn = await fx.initInstance({ sessionExpiryInterval: '30' });
    const topic = fx.topic('ttl/paused');
    const sub = conn.subscribe(topic, {}, ack);
    await sub.ready();
    await conn.pause(); // daprd's Pause: the component keeps reading but hands nothing over
    const publisher = await fx.initInstance();
    const sent = Date.now();
    await publisher.publish(topic, 'short', { ttlInSeconds: '1' });
    await publisher.publish(topic, 'kept');
    await lifetimePassed(sent);
    await conn.resume();
    await sub.waitFor(() => sub.acked.some((d) => text(d) === 'kept'), { what: 'the message without ttl' });
    assert.deepEqual(payloadsOf(sub.deliveries), ['kept'], 'the expired message reached daprd after Resume');
    await sub.close();
  });

  it('nacked message: redelivered while it lives, then dropped and acknowledged; later messages flow and it never comes back', async () => {
    // No read-ahead: "after" is handed over only once the nacked message is gone, so its ack
    // shows that the expired one was dropped (with read-ahead it could be acked before that).
    const conn = await fx.initInstance({ redeliveryInitialDelay: '100ms', redeliveryMaxDelay: '100ms', sessionExpiryInterval: '30', deliveryReadAhead: '1' });
    const topic = fx.topic('ttl/nacked');
    const handler = (d: { data: Buffer }): void => {
      if (text(d) === 'doomed') throw new Error('app cannot handle it');
    };
    const sub = conn.subscribe(topic, {}, handler);
    await sub.ready();
    const publisher = await fx.initInstance();
    await publisher.publish(topic, 'doomed', { ttlInSeconds: '1' });
    await publisher.publish(topic, 'after');
    await sub.waitFor(() => sub.acked.some((d) => text(d) === 'after'), { what: '"after", queued behind the nacked message' });

    const doomed = sub.deliveries.filter((d) => text(d) === 'doomed');
    assert.ok(doomed.length >= 2, `redelivered while alive (${doomed.length} deliveries)`);
    const firstAt = doomed[0]!.receivedAt;
    for (const d of doomed) assert.ok(d.receivedAt - firstAt < 1_300, `delivered ${d.receivedAt - firstAt} ms after the first time, past its 1 s lifetime`);

    // Same session again (the component acknowledged it, and the broker would not resend it expired anyway).
    await sub.close();
    const again = conn.subscribe(topic, {}, ack);
    await again.ready();
    assert.deepEqual(payloadsOf(again.deliveries), [], 'the expired message came back');
    await again.close();
  });
});
