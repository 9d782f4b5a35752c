/**
 * MQTT 5 flow control from the broker's CONNACK, with private Mosquittos: Receive Maximum
 * (Mosquitto announces its `max_inflight_messages`) caps the publishes awaiting a PUBACK, and
 * Maximum Packet Size (its `max_packet_size`) makes an oversized publish fail at once with
 * INVALID_ARGUMENT instead of getting the link dropped. Both follow the broker the component
 * reconnects to.
 *
 * The component reaches broker A through a TCP proxy that can hold the broker's bytes (PUBACKs
 * included) while the component's still flow; a plain subscriber on the broker sees what got in.
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { randomId, startFixture, type Fixture } from '../helpers/component-fixture.js';
import type { PubSubConnection } from '../helpers/daprd-harness.js';
import { expectGrpcError, pingOk } from '../helpers/grpc-assert.js';
import { connectPeer, type MqttPeer, type PeerSubscription } from '../helpers/mqtt-peer.js';
import { findMosquitto, startMosquitto, type MosquittoProcess } from '../helpers/mosquitto-process.js';
import { MOSQUITTO_NOT_INSTALLED, requirePeer } from '../helpers/require-peer.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { waitUntil } from '../helpers/wait.js';

/** How long nothing more may arrive for "at most N got through" to hold (an absence check). */
const QUIET_MS = 500;

describe('MQTT 5 flow control from CONNACK (private Mosquittos)', () => {
  before(() => requirePeer(findMosquitto() ? false : MOSQUITTO_NOT_INSTALLED));
  let brokerA: MosquittoProcess; // Receive Maximum 4, Maximum Packet Size 4096
  let brokerB: MosquittoProcess; // Receive Maximum 2, Maximum Packet Size 8192
  let proxy: TcpProxy;
  let fx: Fixture;
  const peers: MqttPeer[] = [];
  before(async () => {
    [brokerA, brokerB] = await Promise.all([
      startMosquitto({ extraConfig: ['max_inflight_messages 4', 'max_packet_size 4096'] }),
      startMosquitto({ extraConfig: ['max_inflight_messages 2', 'max_packet_size 8192'] }),
    ]);
    proxy = await startTcpProxy({ targetPort: brokerA.port as number });
    fx = await startFixture({ broker: 'bundled' }); // the component server; instances point at the proxy
  });
  after(async () => {
    for (const p of peers) await p.close().catch(() => undefined);
    await fx?.close();
    await proxy?.close();
    await Promise.all([brokerA?.close(), brokerB?.close()]);
  });

  const initViaProxy = async (properties: Record<string, string>): Promise<PubSubConnection> => {
    const conn = fx.connect();
    await conn.init({ url: proxy.url, consumerID: randomId('flow'), publishTimeout: '20s', keepAlive: '60', ...properties });
    return conn;
  };
  const watch = async (broker: MosquittoProcess, topic: string): Promise<PeerSubscription> => {
    const peer = await connectPeer(`tcp://127.0.0.1:${broker.port}`, { protocolVersion: 5 });
    peers.push(peer);
    return peer.subscribe(topic, 1);
  };

  /** Holds the broker's acks, fires `n` publishes, and returns how many reached the broker meanwhile. */
  async function reachedWhileAcksHeld(conn: PubSubConnection, seen: PeerSubscription, topic: string, n: number, expectAtLeast: number): Promise<number> {
    proxy.holdFromTarget();
    const publishes = Array.from({ length: n }, (_, i) => conn.publish(topic, `m-${i}`));
    try {
      await seen.waitFor(expectAtLeast);
      await delay(QUIET_MS);
      return seen.messages.length;
    } finally {
      proxy.releaseFromTarget();
      await Promise.all(publishes);
      await seen.waitFor(n);
    }
  }

  it('Receive Maximum: at most 4 publishes await the PUBACK although maxInflightPublishes is 1024', async () => {
    const conn = await initViaProxy({ protocolVersion: '5' });
    const topic = randomId('rm');
    const seen = await watch(brokerA, topic);
    const reached = await reachedWhileAcksHeld(conn, seen, topic, 12, 4);
    assert.equal(reached, 4, `${reached} publishes reached the broker before the first PUBACK; its Receive Maximum is 4`);
  });

  it('v4 (for contrast): no Receive Maximum, so all 12 go out before any PUBACK', async () => {
    const conn = await initViaProxy({});
    const topic = randomId('rm4');
    const seen = await watch(brokerA, topic);
    assert.equal(await reachedWhileAcksHeld(conn, seen, topic, 12, 12), 12);
  });

  it('Maximum Packet Size: a packet of exactly 4096 bytes goes through, 4097 fails at once with INVALID_ARGUMENT, the link stays up', async () => {
    const conn = await initViaProxy({ protocolVersion: '5' });
    const topic = randomId('mps');
    const seen = await watch(brokerA, topic);
    const accepted = proxy.acceptedCount;
    // PUBLISH at QoS 1: fixed header 1 + remaining length 2 (128..16383) + topic 2+len + packet id 2
    // + properties length 1 + one user property (1 + 2+len(key) + 2+len(value)) + payload.
    const key = 'x-app';
    const value = 'orders';
    const overhead = 1 + 2 + (2 + Buffer.byteLength(topic)) + 2 + 1 + (1 + 2 + key.length + 2 + value.length);
    await conn.publish(topic, Buffer.alloc(4096 - overhead, 0x61), { [key]: value });
    await seen.waitFor(1);
    const started = Date.now();
    await expectGrpcError(conn.publish(topic, Buffer.alloc(4097 - overhead, 0x61), { [key]: value }), 'INVALID_ARGUMENT', ['4097', 'Maximum Packet Size', '4096'], 'one byte over');
    // User properties count too: a small payload with a large property is over the limit.
    await expectGrpcError(conn.publish(topic, 'small', { big: 'v'.repeat(4_200) }), 'INVALID_ARGUMENT', ['Maximum Packet Size'], 'large user property');
    assert.ok(Date.now() - started < 1_000, 'refused before sending, not by a dropped link');
    await conn.ping();
    await conn.publish(topic, 'after');
    await seen.waitFor(2);
    assert.equal(proxy.acceptedCount, accepted, 'the component had to reconnect: the broker dropped the link');
  });

  it('after a reconnect to another broker, its CONNACK limits apply: Receive Maximum 2, Maximum Packet Size 8192', async () => {
    const conn = await initViaProxy({ protocolVersion: '5' });
    const topic = randomId('re');
    const seen = await watch(brokerB, topic);
    await expectGrpcError(conn.publish(topic, Buffer.alloc(6_000)), 'INVALID_ARGUMENT', ['4096'], 'on broker A');
    const accepted = proxy.acceptedCount;
    proxy.retarget(brokerB.port as number);
    proxy.cut('reset');
    proxy.restore();
    await waitUntil(async () => proxy.acceptedCount > accepted && (await pingOk(conn)), () => 'the component to reconnect through the proxy, to broker B');
    await conn.publish(topic, Buffer.alloc(6_000)); // fits B's 8192
    await seen.waitFor(1);
    const capped = randomId('re-cap');
    const seenCapped = await watch(brokerB, capped);
    const reached = await reachedWhileAcksHeld(conn, seenCapped, capped, 7, 2);
    assert.equal(reached, 2, `${reached} publishes reached broker B before the first PUBACK; its Receive Maximum is 2`);
    proxy.retarget(brokerA.port as number);
  });
});
