/**
 * Publish flow control: at most `maxInflightPublishes` QoS>0 publishes await the broker at once,
 * the rest wait for a slot within `publishTimeout`; a publish that timed out is withdrawn: not
 * resent after a reconnect, and never sent at all if it was still waiting for a slot.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { status, type ServiceError } from '@grpc/grpc-js';
import { startFixture, type Fixture } from '../helpers/component-fixture.js';
import { connectPeer, type MqttPeer } from '../helpers/mqtt-peer.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

describe('publish in-flight cap and withdrawal (bundled broker)', () => {
  let fx: Fixture;
  let proxy: TcpProxy;
  let peer: MqttPeer;
  before(async () => {
    fx = await startFixture({ broker: 'bundled' });
    proxy = await startTcpProxy({ targetPort: Number(new URL(fx.brokerUrl).port) });
    peer = await connectPeer(fx.brokerUrl);
  });
  after(async () => {
    await peer?.close();
    await proxy?.close();
    await fx?.close();
  });

  it('publishes beyond the cap wait for a slot; timed-out publishes fail UNAVAILABLE and are never delivered', async () => {
    const topic = fx.topic('cap');
    const seen = await peer.subscribe(topic, 1);
    const conn = fx.connect();
    await conn.init({ url: proxy.url, consumerID: fx.uid('cap'), maxInflightPublishes: '2', publishTimeout: '800ms', keepAlive: '30' });
    await conn.publish(topic, 'before');
    await waitForCount(() => seen.messages.length, 1);

    // The broker stops answering (bytes go nowhere; the link is not closed).
    proxy.cut('blackhole');
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => conn.publish(topic, `during-${i}`)));
    const errors = results.map((r) => (r.status === 'rejected' ? (r.reason as ServiceError) : undefined));
    assert.ok(errors.every((e) => e?.code === status.UNAVAILABLE), 'every publish without an ack fails UNAVAILABLE');
    const waitedForSlot = errors.filter((e) => /in-flight slot/.test(e?.details ?? '')).length;
    const waitedForAck = errors.filter((e) => /did not acknowledge/.test(e?.details ?? '')).length;
    assert.equal(waitedForAck, 2, 'exactly maxInflightPublishes were sent to the broker');
    assert.equal(waitedForSlot, 3, 'the others waited for a slot and were never sent');

    proxy.restore();
    await conn.publish(topic, 'after');
    await waitForCount(() => seen.messages.filter((m) => m.payload.toString() === 'after').length, 1);
    await delay(300);
    const got = seen.messages.map((m) => m.payload.toString()).filter((p) => p.startsWith('during-'));
    // The two that were written may still reach the broker (their bytes were on the wire when
    // they were withdrawn: the ambiguity of any timed-out publish), at most once each. The
    // three that never got a slot were never sent and never arrive.
    const neverSent = errors.flatMap((e, i) => (/in-flight slot/.test(e?.details ?? '') ? [`during-${i}`] : []));
    assert.deepEqual(got.filter((p) => neverSent.includes(p)), [], 'publishes that waited for a slot never arrive');
    assert.equal(new Set(got).size, got.length, 'nothing arrives twice (withdrawn messages are not resent)');
  });
});

async function waitForCount(count: () => number, n: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (count() < n) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} messages (have ${count()})`);
    await delay(20);
  }
}
