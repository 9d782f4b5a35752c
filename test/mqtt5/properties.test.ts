/**
 * MQTT 5 properties both ways, against the shared Mosquitto, with a plain MQTT.js v5 client on
 * the other side: publish metadata → user properties (trace context included, the keys the
 * component interprets excluded), content type → Content Type, `ttlInSeconds` → Message Expiry
 * Interval; and a device's user properties and content type → PullMessages metadata and
 * content_type.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IPublishPacket } from 'mqtt';
import { isReachable, MOSQUITTO_URL, startFixture, type Fixture } from '../helpers/component-fixture.js';
import { mosquittoUnreachable, requirePeer } from '../helpers/require-peer.js';
import type { Delivery } from '../helpers/daprd-harness.js';
import { expectGrpcError } from '../helpers/grpc-assert.js';
import type { MqttPeer } from '../helpers/mqtt-peer.js';
import { waitUntil } from '../helpers/wait.js';

const reachable = await isReachable(MOSQUITTO_URL);
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const TRACESTATE = 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7';

/** Every PUBLISH packet `peer` receives on `topic`, with its properties. */
async function packetsOn(peer: MqttPeer, topic: string): Promise<IPublishPacket[]> {
  const packets: IPublishPacket[] = [];
  peer.client.on('message', (t, _payload, packet) => {
    if (t === topic) packets.push(packet);
  });
  await peer.subscribe(topic, 1);
  return packets;
}

const until = (what: string, condition: () => boolean): Promise<void> => waitUntil(condition, () => what);

describe('MQTT 5 properties (Mosquitto, M)', () => {
  before(() => requirePeer(reachable ? false : mosquittoUnreachable(MOSQUITTO_URL)));
  let fx: Fixture;
  before(async () => {
    fx = await startFixture({ broker: 'mosquitto', protocolVersion: 5 });
  });
  after(async () => {
    await fx?.close();
  });

  it('Publish: metadata becomes user properties (traceparent, tracestate, app keys), content type and ttlInSeconds their own properties', async () => {
    const conn = await fx.initInstance();
    const topic = fx.topic('props/out');
    const peer = await fx.peer();
    const packets = await packetsOn(peer, topic);
    const metadata = { traceparent: TRACEPARENT, tracestate: TRACESTATE, 'x-tenant': 'eu-1', empty: '', qos: '1', retain: 'false', ttlInSeconds: '60' };
    await conn.publish(topic, '{"a":1}', metadata, 'application/json');
    // No content_type on the request (what daprd sends): metadata contentType is used instead.
    await conn.publish(topic, 'plain', { contentType: 'text/plain', ttlInSeconds: '' });
    await until('2 messages at the plain v5 subscriber', () => packets.length >= 2);

    const [first, second] = packets as [IPublishPacket, IPublishPacket];
    assert.deepEqual(
      { ...first.properties?.userProperties },
      { traceparent: TRACEPARENT, tracestate: TRACESTATE, 'x-tenant': 'eu-1', empty: '' },
      'every key but qos, retain, ttlInSeconds and contentType, as a user property',
    );
    assert.equal(first.properties?.contentType, 'application/json', 'PublishRequest.content_type → Content Type');
    const expiry = first.properties?.messageExpiryInterval;
    assert.ok(expiry !== undefined && expiry > 50 && expiry <= 60, `ttlInSeconds 60 → Message Expiry Interval (remaining ${expiry})`);
    assert.equal(second.properties?.contentType, 'text/plain', 'metadata contentType → Content Type');
    assert.equal(second.properties?.userProperties, undefined, 'no user properties when every key is interpreted');
    assert.equal(second.properties?.messageExpiryInterval, undefined, 'no ttlInSeconds → no expiry');
  });

  it('BulkPublish: each entry carries its content type and the merged metadata', async () => {
    const conn = await fx.initInstance();
    const topic = fx.topic('props/bulk');
    const peer = await fx.peer();
    const packets = await packetsOn(peer, topic);
    const failed = await conn.bulkPublish(
      topic,
      [
        { entryId: 'a', event: '{"n":1}', contentType: 'application/json', metadata: { traceparent: TRACEPARENT } },
        { entryId: 'b', event: 'two', contentType: 'text/plain', metadata: { 'x-entry': 'b' } },
      ],
      { 'x-request': 'bulk' },
    );
    assert.deepEqual(failed, []);
    await until('2 bulk messages', () => packets.length >= 2);
    const byBody = new Map(packets.map((p) => [(p.payload as Buffer).toString(), p]));
    assert.equal(byBody.get('{"n":1}')?.properties?.contentType, 'application/json');
    assert.deepEqual({ ...byBody.get('{"n":1}')?.properties?.userProperties }, { 'x-request': 'bulk', traceparent: TRACEPARENT });
    assert.equal(byBody.get('two')?.properties?.contentType, 'text/plain');
    assert.deepEqual({ ...byBody.get('two')?.properties?.userProperties }, { 'x-request': 'bulk', 'x-entry': 'b' });
  });

  it('PullMessages: a device\'s user properties arrive as metadata (the component\'s own keys win) and its content type as content_type', async () => {
    const conn = await fx.initInstance();
    const topic = fx.topic('props/in');
    const sub = conn.subscribe(topic, {}, () => undefined);
    await sub.ready();
    const peer = await fx.peer();
    await peer.client.publishAsync(topic, Buffer.from('{"t":21.5}'), {
      qos: 1,
      properties: {
        contentType: 'application/json',
        userProperties: { traceparent: TRACEPARENT, tracestate: TRACESTATE, 'x-device': 'dev-7', multi: ['a', 'b'], topic: 'spoofed', qos: '2' },
      },
    });
    await peer.client.publishAsync(topic, Buffer.from('bare'), { qos: 1 });
    await sub.waitForAcked(2);
    const [withProps, bare] = sub.acked as [Delivery, Delivery];
    assert.equal(withProps.contentType, 'application/json');
    assert.deepEqual(
      withProps.metadata,
      { traceparent: TRACEPARENT, tracestate: TRACESTATE, 'x-device': 'dev-7', multi: 'a,b', topic, qos: '1', retained: 'false', dup: 'false' },
      'user properties plus topic, qos, retained, dup (facts of the delivery, not overridable)',
    );
    assert.equal(bare.contentType, '', 'no Content Type → empty content_type');
    assert.deepEqual(bare.metadata, { topic, qos: '1', retained: 'false', dup: 'false' });
    await sub.close();
  });

  it('round trip through the component: Publish metadata and content type reach another instance\'s PullMessages', async () => {
    const [publisher, subscriber] = await Promise.all([fx.initInstance(), fx.initInstance()]);
    const topic = fx.topic('props/roundtrip');
    const sub = subscriber.subscribe(topic, {}, () => undefined);
    await sub.ready();
    await publisher.publish(topic, '{"ok":true}', { traceparent: TRACEPARENT, 'x-app': 'orders', ttlInSeconds: '30' }, 'application/json');
    await sub.waitForAcked(1);
    const [d] = sub.acked as [Delivery];
    assert.equal(d.contentType, 'application/json');
    assert.equal(d.metadata.traceparent, TRACEPARENT, 'traceparent arrives');
    assert.equal(d.metadata['x-app'], 'orders');
    assert.equal(d.metadata.ttlInSeconds, undefined, 'interpreted keys are not user properties');
    await sub.close();
  });

  it('bad values fail with INVALID_ARGUMENT naming the key, without touching the link', async () => {
    const conn = await fx.initInstance();
    const topic = fx.topic('props/bad');
    for (const ttl of ['0', '-1', 'soon', '1.5', '4294967296']) {
      await expectGrpcError(conn.publish(topic, 'x', { ttlInSeconds: ttl }), 'INVALID_ARGUMENT', ['ttlInSeconds'], `ttlInSeconds "${ttl}"`);
    }
    await expectGrpcError(conn.publish(topic, 'x', { 'x-nul': 'a\u0000b' }), 'INVALID_ARGUMENT', ['x-nul'], 'a user property with NUL');
    await expectGrpcError(conn.publish(topic, 'x', { big: 'v'.repeat(70_000) }), 'INVALID_ARGUMENT', ['big'], 'a user property above 65535 bytes');
    await conn.ping();
    await conn.publish(topic, 'fine', { 'x-ok': 'yes' });
  });
});
