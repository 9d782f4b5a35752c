/**
 * Many QoS 1 messages in flight at once, with a persistent-session subscriber on the topic.
 *
 * Aedes drops a message for a client whose `brokerCounter` is not above one it already
 * forwarded to that client (its duplicate filter), and with LevelDB behind it concurrent
 * publishes reached delivery out of counter order: messages were PUBACKed to the publisher and
 * then delivered to no online subscriber at all (see src/broker/emit-in-publish-order.ts).
 * And a persistent-session subscriber got the rest out of order
 * (src/broker/outgoing-updates-in-order.ts). Plain MQTT.js clients: no component involved.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { startBroker, type Broker } from '../../src/broker/start-broker.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { connectClient, type TestClient, WAIT_MS } from './mqtt-test-client.js';

const MESSAGES = 1_000;
const IN_FLIGHT = 64;
const DELIVERY_WAIT_MS = 10_000;

const logger = createSilentLogger();
let root: string;
let dirCount = 0;
const newDataDir = (): string => join(root, `data-${++dirCount}`);

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'broker-concurrent-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

const payloadOf = (i: number): string => `m-${String(i).padStart(4, '0')}`;
const allPayloads = Array.from({ length: MESSAGES }, (_, i) => payloadOf(i));

/** Publishes every payload at QoS 1 with at most `IN_FLIGHT` unacknowledged; resolves when all are PUBACKed. */
async function publishConcurrently(client: MqttClient, topic: string): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < MESSAGES) {
      const i = next++;
      await client.publishAsync(topic, payloadOf(i), { qos: 1 });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Publishes every payload with at most `IN_FLIGHT` outstanding, mixing QoS 0 and 1, retained and not, over several topics. */
async function publishMixed(client: MqttClient, prefix: string): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < MESSAGES) {
      const i = next++;
      await client.publishAsync(`${prefix}/${i % 7}`, payloadOf(i), { qos: i % 3 === 0 ? 0 : 1, retain: i % 5 === 0 });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

/**
 * Waits until `sub` holds `n` distinct payloads, or the wait runs out; returns what arrived.
 * Only live deliveries count: a message flagged retain was sent because a SUBSCRIBE found it
 * stored, which is another delivery by design ([MQTT-3.3.1-6]) and can overlap a live one.
 */
async function settle(sub: TestClient, n: number, ms = DELIVERY_WAIT_MS): Promise<string[]> {
  const live = (): string[] => sub.received.filter((m) => !m.retain).map((m) => m.payload);
  const deadline = Date.now() + ms;
  while (new Set(live()).size < n && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  // A little longer, so a duplicate that trails the last message is seen too.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return live();
}

function assertEachExactlyOnce(got: string[], who: string): void {
  const seen = new Set(got);
  const missing = allPayloads.filter((p) => !seen.has(p));
  assert.deepEqual(
    { delivered: seen.size, missing: missing.slice(0, 20), duplicates: got.length - seen.size },
    { delivered: MESSAGES, missing: [], duplicates: 0 },
    `${who}: ${seen.size} of ${MESSAGES} delivered`,
  );
}

describe(`bundled broker: ${MESSAGES} QoS 1 messages, ${IN_FLIGHT} in flight`, () => {
  let broker: Broker;
  before(async () => {
    broker = await startBroker({ port: 0, dataDir: newDataDir(), logger });
  });
  after(async () => {
    await broker.close();
  });

  test('reach an online persistent-session subscriber and a clean-session one, each exactly once and in order', async () => {
    const persistent = await connectClient(broker.port, { clientId: 'load-persistent', clean: false });
    const clean = await connectClient(broker.port, { clientId: 'load-clean', clean: true });
    const pub = await connectClient(broker.port, { clientId: 'load-pub' });
    try {
      await persistent.client.subscribeAsync('load/#', { qos: 1 });
      await clean.client.subscribeAsync('load/#', { qos: 1 });

      await publishConcurrently(pub.client, 'load/a');

      const [toPersistent, toClean] = await Promise.all([settle(persistent, MESSAGES), settle(clean, MESSAGES)]);
      assertEachExactlyOnce(toPersistent, 'persistent-session subscriber');
      assertEachExactlyOnce(toClean, 'clean-session subscriber');
      // [MQTT-4.6.0-6] one publisher, one topic: the order it published in.
      assert.deepEqual(toClean, allPayloads, 'clean-session subscriber: order');
      assert.deepEqual(toPersistent, allPayloads, 'persistent-session subscriber: order');
      assert.deepEqual([...persistent.errors, ...clean.errors, ...pub.errors], []);
    } finally {
      await Promise.all([persistent.end(), clean.end(), pub.end()]);
    }

    // Every message was acknowledged, so the session has nothing queued to send again.
    const back = await connectClient(broker.port, { clientId: 'load-persistent', clean: false });
    try {
      assert.equal(back.connack.sessionPresent, true);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(
        back.received.map((m) => m.payload),
        [],
        'messages replayed after a reconnect',
      );
    } finally {
      await back.end();
    }
  });

  test('reach a persistent-session subscriber that was offline, in order, once it comes back', async () => {
    const first = await connectClient(broker.port, { clientId: 'load-offline', clean: false });
    await first.client.subscribeAsync('offline/#', { qos: 1 });
    await first.end();

    const pub = await connectClient(broker.port, { clientId: 'load-offline-pub' });
    try {
      await publishConcurrently(pub.client, 'offline/a');
    } finally {
      await pub.end();
    }

    const back = await connectClient(broker.port, { clientId: 'load-offline', clean: false });
    try {
      assert.equal(back.connack.sessionPresent, true);
      const got = await settle(back, MESSAGES);
      assertEachExactlyOnce(got, 'returning persistent-session subscriber');
      assert.deepEqual(got, allPayloads, 'the offline queue replays in publish order');
    } finally {
      await back.end();
    }
  });
});

describe('bundled broker: the order messages are handed to subscribers', () => {
  let broker: Broker;
  before(async () => {
    broker = await startBroker({ port: 0, dataDir: newDataDir(), logger });
  });
  after(async () => {
    await broker.close();
  });

  test('QoS 0 and 1, retained or not, to overlapping subscriptions: each message once', async () => {
    // Two filters matching the same topics: Aedes sends one copy, and must still send every message.
    // Each SUBSCRIBE also scans the retained messages after its SUBACK, concurrently with the
    // publishes below: what that scan finds arrives flagged retain and is not counted.
    const persistent = await connectClient(broker.port, { clientId: 'mix-persistent', clean: false });
    const clean = await connectClient(broker.port, { clientId: 'mix-clean' });
    const pub = await connectClient(broker.port, { clientId: 'mix-pub' });
    try {
      for (const sub of [persistent, clean]) await sub.client.subscribeAsync({ 'mix/#': { qos: 1 }, 'mix/+': { qos: 1 } });
      await publishMixed(pub.client, 'mix');
      const [toPersistent, toClean] = await Promise.all([settle(persistent, MESSAGES), settle(clean, MESSAGES)]);
      assertEachExactlyOnce(toPersistent, 'persistent-session subscriber');
      assertEachExactlyOnce(toClean, 'clean-session subscriber');
    } finally {
      await Promise.all([persistent.end(), clean.end(), pub.end()]);
    }
  });

  test('a publish that fails to store, or is refused, does not hold back the ones after it', async () => {
    const sub = await connectClient(broker.port, { clientId: 'fail-sub', clean: false });
    await sub.client.subscribeAsync('fail/#', { qos: 1 });

    type Enqueue = (subs: unknown, packet: { topic: string }) => Promise<unknown>;
    const persistence = (broker.aedes as unknown as { persistence: { outgoingEnqueueCombi: Enqueue } }).persistence;
    const original = persistence.outgoingEnqueueCombi;
    persistence.outgoingEnqueueCombi = async (subs, packet) => {
      if (packet.topic === 'fail/broken') throw new Error('injected store failure');
      return original.call(persistence, subs, packet);
    };
    const failing = await connectClient(broker.port, { clientId: 'fail-pub-broken' });
    const pub = await connectClient(broker.port, { clientId: 'fail-pub' });
    try {
      // No PUBACK for the message that was not stored: the broker drops that connection.
      const closed = new Promise<void>((resolve) => failing.client.once('close', () => resolve()));
      void failing.client.publishAsync('fail/broken', 'not stored', { qos: 1 }).catch(() => {});
      await within(closed, 'the broker to drop the publisher whose message was not stored');
      // A topic Aedes refuses before numbering the message (over its 100 topic levels).
      const refused = await new Promise<Error | undefined>((resolve) =>
        broker.aedes.publish({ cmd: 'publish', topic: `fail${'/x'.repeat(100)}`, payload: Buffer.from('deep'), qos: 1, dup: false, retain: false }, resolve),
      );
      assert.match(refused?.message ?? '', /too many levels/);

      await within(pub.client.publishAsync('fail/ok', 'after the failures', { qos: 1 }), 'PUBACK of the message after the failures');
      const got = await sub.waitForMessages(1);
      assert.deepEqual(
        got.map((m) => m.payload),
        ['after the failures'],
      );
    } finally {
      persistence.outgoingEnqueueCombi = original;
      // Forced: a graceful end waits for PUBACKs, and these may never come.
      await Promise.all([failing, pub].map((c) => new Promise<void>((resolve) => c.client.end(true, () => resolve()))));
      await sub.end();
    }
  });
});
