/**
 * Shared subscriptions (`$share/<group>/<filter>`, MQTT 5 §4.8.2) in the bundled broker, with
 * plain MQTT.js 3.1.1 clients: each message to one member of each group, in turn; messages
 * in flight to a member that goes are moved to another; offline persistent members get what
 * was queued, across a restart; no retained messages on a shared subscribe.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { startBroker, type Broker } from '../../src/broker/start-broker.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { waitUntil, withTimeout } from '../helpers/wait.js';
import { connectClient, type Received, type TestClient } from './mqtt-test-client.js';

const logger = createSilentLogger();
/** Each test fails on its own, rather than hang, if an awaited PUBACK or SUBACK never comes. */
const bounded = { timeout: 60_000 };
let root: string;
let dirCount = 0;
const newDataDir = (): string => join(root, `data-${++dirCount}`);

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'broker-shared-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

const payloads = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
const payloadsOf = (received: readonly Received[]): string[] => received.map((m) => m.payload);

/** Publishes each payload at `qos` with at most `inFlight` unacknowledged; resolves once all are acknowledged. */
async function publishAll(client: MqttClient, topicOf: (i: number) => string, all: readonly string[], qos: 0 | 1 | 2 = 1, inFlight = 16): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < all.length) {
      const i = next++;
      await client.publishAsync(topicOf(i), all[i]!, { qos });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

/** Waits until the members together hold `n` messages; then a little longer, so a duplicate trailing them is seen too. */
async function settleTogether(members: readonly TestClient[], n: number, timeoutMs = 10_000): Promise<void> {
  const total = (): number => members.reduce((sum, m) => sum + m.received.length, 0);
  await waitUntil(() => total() >= n, () => `${n} messages across the members, got ${total()}`, { timeoutMs });
  await new Promise((resolve) => setTimeout(resolve, 200));
}

function assertExactlyOnce(got: readonly string[], expected: readonly string[], who: string): void {
  const seen = new Set(got);
  assert.deepEqual(
    { delivered: seen.size, duplicates: got.length - seen.size, missing: expected.filter((p) => !seen.has(p)).slice(0, 10) },
    { delivered: expected.length, duplicates: 0, missing: [] },
    who,
  );
}

/** A client that receives but never acknowledges: MQTT.js sends the PUBACK only once handleMessage calls back. */
function neverAcknowledge(member: TestClient): void {
  member.client.handleMessage = (_packet, _callback) => {};
}

/** Counts the PUBACKs the broker has processed, per client id. */
function countAcks(broker: Broker): Map<string, number> {
  const acks = new Map<string, number>();
  broker.aedes.on('ack', (_packet, client) => acks.set(client.id, (acks.get(client.id) ?? 0) + 1));
  return acks;
}

/** The messages still in a persistent session's queue at the broker. */
async function queuedFor(broker: Broker, clientId: string): Promise<unknown[]> {
  const persistence = (broker.aedes as unknown as { persistence: { outgoingStream(client: { id: string }): AsyncIterable<unknown> } }).persistence;
  const queued: unknown[] = [];
  for await (const packet of persistence.outgoingStream({ id: clientId })) queued.push(packet);
  return queued;
}

describe('bundled broker: shared subscriptions', bounded, () => {
  let broker: Broker;
  before(async () => {
    broker = await startBroker({ port: 0, dataDir: newDataDir(), logger });
  });
  after(async () => {
    await broker.close();
  });

  test('each message goes to one member of the group, in turn, and to every ordinary subscriber', async () => {
    const a = await connectClient(broker.port, { clientId: 'rr-a' });
    const b = await connectClient(broker.port, { clientId: 'rr-b' });
    const ordinary = await connectClient(broker.port, { clientId: 'rr-ordinary' });
    const pub = await connectClient(broker.port, { clientId: 'rr-pub' });
    try {
      for (const member of [a, b]) assert.equal((await member.client.subscribeAsync('$share/g/rr/+', { qos: 1 }))[0]?.qos, 1);
      await ordinary.client.subscribeAsync('rr/#', { qos: 1 });

      const all = payloads('rr', 100);
      await publishAll(pub.client, (i) => `rr/${i % 5}`, all);

      assertExactlyOnce(payloadsOf(await ordinary.waitForMessages(100)), all, 'ordinary subscriber');
      await settleTogether([a, b], 100);
      assertExactlyOnce([...payloadsOf(a.received), ...payloadsOf(b.received)], all, 'members of the group together');
      assert.ok(a.received.length >= 30 && b.received.length >= 30, `split ${a.received.length}/${b.received.length}`);
      for (const m of [...a.received, ...b.received]) {
        assert.match(m.topic, /^rr\/[0-4]$/, 'the concrete topic, not the $share filter');
        assert.equal(m.qos, 1);
        assert.equal(m.retain, false);
      }
      assert.deepEqual([...a.errors, ...b.errors, ...ordinary.errors, ...pub.errors], []);
    } finally {
      await Promise.all([a.end(), b.end(), ordinary.end(), pub.end()]);
    }
  });

  test('two groups on the same filter each get every message once, and a client may be in both', async () => {
    const g1a = await connectClient(broker.port, { clientId: 'two-g1a' });
    const g1b = await connectClient(broker.port, { clientId: 'two-g1b' });
    const g2a = await connectClient(broker.port, { clientId: 'two-g2a' });
    const both = await connectClient(broker.port, { clientId: 'two-both', clean: false });
    const pub = await connectClient(broker.port, { clientId: 'two-pub' });
    try {
      await g1a.client.subscribeAsync('$share/g1/two/+', { qos: 1 });
      await g1b.client.subscribeAsync('$share/g1/two/+', { qos: 1 });
      await g2a.client.subscribeAsync('$share/g2/two/+', { qos: 1 });
      await both.client.subscribeAsync({ '$share/g1/two/+': { qos: 1 }, '$share/g2/two/+': { qos: 1 } });

      const all = payloads('two', 60);
      await publishAll(pub.client, (i) => `two/${i % 3}`, all);
      await settleTogether([g1a, g1b, g2a, both], 120);

      // MQTT 3.1.1 does not say which subscription a message came through, so count per message:
      // at most one copy among each group's other members, and `both` makes up the rest to two.
      const count = (member: TestClient, payload: string): number => member.received.filter((m) => m.payload === payload).length;
      const wrong = all.flatMap((p) => {
        const inG1 = count(g1a, p) + count(g1b, p);
        const inG2 = count(g2a, p);
        const toBoth = count(both, p);
        return inG1 <= 1 && inG2 <= 1 && inG1 + inG2 + toBoth === 2 ? [] : [{ p, inG1, inG2, toBoth }];
      });
      assert.deepEqual(wrong.slice(0, 10), [], 'each message once per group');
      for (const member of [g1a, g1b, g2a, both]) assert.ok(member.received.length > 0, `${member.client.options.clientId} took its turns`);
    } finally {
      await Promise.all([g1a.end(), g1b.end(), g2a.end(), both.end(), pub.end()]);
    }
  });

  test('a retained message is not sent on a $share subscribe, but is on an ordinary one', async () => {
    const pub = await connectClient(broker.port, { clientId: 'ret-pub' });
    const shared = await connectClient(broker.port, { clientId: 'ret-shared' });
    const ordinary = await connectClient(broker.port, { clientId: 'ret-ordinary' });
    try {
      await pub.client.publishAsync('ret/config', 'retained', { qos: 1, retain: true });
      await shared.client.subscribeAsync('$share/g/ret/#', { qos: 1 });
      await ordinary.client.subscribeAsync('ret/#', { qos: 1 });
      const [stored] = await ordinary.waitForMessages(1);
      assert.deepEqual(stored, { topic: 'ret/config', payload: 'retained', qos: 1, retain: true });

      // A retained message would have been written right after the SUBACK, before this one.
      await pub.client.publishAsync('ret/live', 'live', { qos: 1 });
      const got = await shared.waitForMessages(1);
      assert.deepEqual(got, [{ topic: 'ret/live', payload: 'live', qos: 1, retain: false }]);
    } finally {
      await pub.client.publishAsync('ret/config', '', { qos: 1, retain: true });
      await Promise.all([pub.end(), shared.end(), ordinary.end()]);
    }
  });

  test('after UNSUBSCRIBE a client gets no more of the group', async () => {
    const a = await connectClient(broker.port, { clientId: 'unsub-a', clean: false });
    const b = await connectClient(broker.port, { clientId: 'unsub-b' });
    const pub = await connectClient(broker.port, { clientId: 'unsub-pub' });
    try {
      for (const member of [a, b]) await member.client.subscribeAsync('$share/g/unsub/#', { qos: 1 });
      await a.client.subscribeAsync('unsub-probe/#', { qos: 1 });
      await a.client.unsubscribeAsync('$share/g/unsub/#');

      const all = payloads('unsub', 10);
      await publishAll(pub.client, () => 'unsub/t', all);
      assertExactlyOnce(payloadsOf(await b.waitForMessages(10)), all, 'the member left');
      // Published after the shared ones: had `a` still been a member, half of those came first.
      await pub.client.publishAsync('unsub-probe/1', 'probe', { qos: 1 });
      assert.deepEqual(payloadsOf(await a.waitForMessages(1)), ['probe']);
    } finally {
      await Promise.all([a.end(), b.end(), pub.end()]);
    }
    // Nor does the persistent session keep the membership.
    const back = await connectClient(broker.port, { clientId: 'unsub-a', clean: false });
    const pub2 = await connectClient(broker.port, { clientId: 'unsub-pub' });
    try {
      await pub2.client.publishAsync('unsub/t', 'after', { qos: 1 });
      await pub2.client.publishAsync('unsub-probe/2', 'probe-2', { qos: 1 });
      assert.deepEqual(payloadsOf(await back.waitForMessages(1)), ['probe-2']);
    } finally {
      await Promise.all([back.end(), pub2.end()]);
    }
  });

  test('a member gets the lower of the published and its granted QoS', async () => {
    const q0 = await connectClient(broker.port, { clientId: 'qos-q0' });
    const q1 = await connectClient(broker.port, { clientId: 'qos-q1', clean: false });
    const pub = await connectClient(broker.port, { clientId: 'qos-pub' });
    try {
      assert.equal((await q0.client.subscribeAsync('$share/q0/qos/#', { qos: 0 }))[0]?.qos, 0);
      assert.equal((await q1.client.subscribeAsync('$share/q1/qos/#', { qos: 1 }))[0]?.qos, 1);
      await pub.client.publishAsync('qos/one', 'one', { qos: 1 });
      await pub.client.publishAsync('qos/two', 'two', { qos: 2 });
      await pub.client.publishAsync('qos/zero', 'zero', { qos: 0 });
      const summary = (got: Received[]): string[] => got.map((m) => `${m.payload}@${m.qos}`).sort();
      assert.deepEqual(summary(await q0.waitForMessages(3)), ['one@0', 'two@0', 'zero@0']);
      assert.deepEqual(summary(await q1.waitForMessages(3)), ['one@1', 'two@1', 'zero@0']);
    } finally {
      await Promise.all([q0.end(), q1.end(), pub.end()]);
    }
  });

  test('a shared message that cannot be stored for its member gets no PUBACK', async () => {
    const member = await connectClient(broker.port, { clientId: 'store-fail-member', clean: false });
    await member.client.subscribeAsync('$share/g/store-fail/#', { qos: 1 });
    type Enqueue = (sub: { clientId: string }, packet: { topic: string }) => Promise<void>;
    const persistence = (broker.aedes as unknown as { persistence: { outgoingEnqueue: Enqueue } }).persistence;
    const original = persistence.outgoingEnqueue;
    persistence.outgoingEnqueue = async (sub, packet) => {
      if (packet.topic === 'store-fail/broken') throw new Error('injected store failure');
      return original.call(persistence, sub, packet);
    };
    const failing = await connectClient(broker.port, { clientId: 'store-fail-pub-broken' });
    const pub = await connectClient(broker.port, { clientId: 'store-fail-pub' });
    try {
      let acknowledged = false;
      const closed = new Promise<void>((resolve) => failing.client.once('close', () => resolve()));
      void failing.client.publishAsync('store-fail/broken', 'not stored', { qos: 1 }).then(
        () => (acknowledged = true),
        () => {},
      );
      await withTimeout(closed, 5_000, 'the broker to drop the publisher whose message was not stored');
      assert.equal(acknowledged, false, 'PUBACK for a message its member could not store');

      await pub.client.publishAsync('store-fail/ok', 'stored', { qos: 1 });
      assert.deepEqual(payloadsOf(await member.waitForMessages(1)), ['stored']);
    } finally {
      persistence.outgoingEnqueue = original;
      await Promise.all([failing, pub].map((c) => new Promise<void>((resolve) => c.client.end(true, () => resolve()))));
      await member.end();
    }
  });

  test('a malformed $share filter is refused', async () => {
    const client = await connectClient(broker.port, { clientId: 'malformed' });
    try {
      // MQTT.js rejects a SUBACK that refuses any filter, with the SUBACK attached.
      const refused = await client.client.subscribeAsync({ '$share/g': { qos: 1 }, '$share//t': { qos: 1 }, '$share/g/ok': { qos: 1 } }).then(
        () => undefined,
        (err: Error & { packet?: { granted?: number[] } }) => err,
      );
      assert.deepEqual(refused?.packet?.granted, [128, 128, 1]);
    } finally {
      await client.end();
    }
  });
});

describe('bundled broker: shared subscriptions, members that go', bounded, () => {
  let broker: Broker;
  let acks: Map<string, number>;
  before(async () => {
    broker = await startBroker({ port: 0, dataDir: newDataDir(), logger });
    acks = countAcks(broker);
  });
  after(async () => {
    await broker.close();
  });

  for (const session of ['clean', 'persistent'] as const) {
    test(`messages a member with a ${session} session had not acknowledged go to another member when its connection drops`, async () => {
      const ids = { a: `drop-${session}-a`, b: `drop-${session}-b` };
      const topic = `drop-${session}`;
      const a = await connectClient(broker.port, { clientId: ids.a, clean: session === 'clean' });
      const b = await connectClient(broker.port, { clientId: ids.b });
      const pub = await connectClient(broker.port, { clientId: `drop-${session}-pub` });
      const all = payloads(topic, 10);
      try {
        neverAcknowledge(a);
        for (const member of [a, b]) await member.client.subscribeAsync(`$share/g/${topic}/#`, { qos: 1 });
        await publishAll(pub.client, () => `${topic}/t`, all, 1, 1);
        // In turn: b has its five, a was sent the other five and acknowledged none.
        assert.equal((await b.waitForMessages(5)).length, 5);
        await a.waitForMessages(1); // MQTT.js reads no further while a message is not acknowledged

        a.client.stream.destroy();
        const got = await b.waitForMessages(10);
        await new Promise((resolve) => setTimeout(resolve, 200));
        assertExactlyOnce(payloadsOf(b.received), all, 'the member that stayed');
        assert.equal(got.length, 10);
        await waitUntil(() => (acks.get(ids.b) ?? 0) >= 10, () => `b's 10 PUBACKs at the broker, ${acks.get(ids.b)}`);
      } finally {
        a.client.end(true);
        await Promise.all([b.end(), pub.end()]);
      }
      if (session === 'clean') return;

      // What moved to b is no longer in a's session: a gets none of it again.
      await waitUntil(async () => (await queuedFor(broker, ids.a)).length === 0, () => `${ids.a}'s queue to empty`);
      const back = await connectClient(broker.port, { clientId: ids.a, clean: false });
      const pub2 = await connectClient(broker.port, { clientId: `drop-${session}-pub` });
      try {
        assert.equal(back.connack.sessionPresent, true);
        await pub2.client.publishAsync(`${topic}/t`, 'probe', { qos: 1 }); // a is the only member now
        assert.deepEqual(payloadsOf(await back.waitForMessages(1)), ['probe']);
      } finally {
        await Promise.all([back.end(), pub2.end()]);
      }
    });
  }

  test('queued messages handed to a member that drops them before acknowledging stay queued for the next', async () => {
    const stays = await connectClient(broker.port, { clientId: 'handed-persistent', clean: false });
    await stays.client.subscribeAsync('$share/g/handed/#', { qos: 1 });
    await stays.end();
    const pub = await connectClient(broker.port, { clientId: 'handed-pub' });
    const all = payloads('handed', 5);
    await publishAll(pub.client, () => 'handed/t', all, 1, 1);
    await pub.end();

    const dropper = await connectClient(broker.port, { clientId: 'handed-dropper' });
    neverAcknowledge(dropper);
    await dropper.client.subscribeAsync('$share/g/handed/#', { qos: 1 });
    await dropper.waitForMessages(1);
    dropper.client.stream.destroy();
    dropper.client.end(true);

    const back = await connectClient(broker.port, { clientId: 'handed-persistent', clean: false });
    try {
      assertExactlyOnce(payloadsOf(await back.waitForMessages(5)), all, 'the persistent member');
    } finally {
      await back.end();
    }
  });

  test('queued messages out to one member are not handed again to a member that joins meanwhile', async () => {
    const owner = await connectClient(broker.port, { clientId: 'out-owner', clean: false });
    await owner.client.subscribeAsync('$share/g/out/#', { qos: 1 });
    await owner.end();
    const pub = await connectClient(broker.port, { clientId: 'out-pub' });
    const all = payloads('out', 5);
    await publishAll(pub.client, () => 'out/t', all, 1, 1);
    await pub.end();

    const slow = await connectClient(broker.port, { clientId: 'out-slow' });
    neverAcknowledge(slow);
    await slow.client.subscribeAsync('$share/g/out/#', { qos: 1 });
    await slow.waitForMessages(1);
    // Joining starts another pass over the queue, which still holds the five.
    const late = await connectClient(broker.port, { clientId: 'out-late' });
    try {
      await late.client.subscribeAsync('$share/g/out/#', { qos: 1 });
      slow.client.stream.destroy();
      slow.client.end(true);
      await late.waitForMessages(5);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assertExactlyOnce(payloadsOf(late.received), all, 'the member that joined');
    } finally {
      await late.end();
    }
  });
});

describe('bundled broker: shared subscriptions with no member connected', bounded, () => {
  test('persistent members: the first back gets what was queued, across restarts; the other gets none', async () => {
    const dataDir = newDataDir();
    let broker = await startBroker({ port: 0, dataDir, logger });
    try {
      for (const clientId of ['offline-a', 'offline-b']) {
        const member = await connectClient(broker.port, { clientId, clean: false });
        await member.client.subscribeAsync('$share/g/offline/#', { qos: 1 });
        await member.end();
      }
      const all = payloads('offline', 20);
      const publish = async (from: number, to: number): Promise<void> => {
        const pub = await connectClient(broker.port, { clientId: 'offline-pub' });
        try {
          await publishAll(pub.client, (i) => `offline/${i}`, all.slice(from, to), 1, 4);
        } finally {
          await pub.end();
        }
      };
      await publish(0, 10);
      await broker.close();
      broker = await startBroker({ port: 0, dataDir, logger });
      await publish(10, 20); // the group and its persistent members are known after the restart
      await broker.close();
      broker = await startBroker({ port: 0, dataDir, logger });

      const acks = countAcks(broker);
      const first = await connectClient(broker.port, { clientId: 'offline-a', clean: false });
      try {
        assert.equal(first.connack.sessionPresent, true);
        const got = await first.waitForMessages(20);
        assert.deepEqual(payloadsOf(got), all, 'all of them, in publish order');
        assert.ok(got.every((m) => m.topic.startsWith('offline/') && m.qos === 1));
        // The restored subscription is live as well.
        const pub = await connectClient(broker.port, { clientId: 'offline-pub' });
        await pub.client.publishAsync('offline/live', 'live', { qos: 1 });
        await pub.end();
        assert.equal((await first.waitForMessages(21))[20]?.payload, 'live');
        await waitUntil(() => (acks.get('offline-a') ?? 0) >= 21, () => `a's 21 PUBACKs at the broker, ${acks.get('offline-a')}`);
      } finally {
        await first.end();
      }

      const second = await connectClient(broker.port, { clientId: 'offline-b', clean: false });
      const pub = await connectClient(broker.port, { clientId: 'offline-pub' });
      try {
        assert.equal(second.connack.sessionPresent, true);
        await pub.client.publishAsync('offline/probe', 'probe', { qos: 1 }); // b is the only member connected
        assert.deepEqual(payloadsOf(await second.waitForMessages(1)), ['probe']);
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.deepEqual(payloadsOf(second.received), ['probe']);
      } finally {
        await Promise.all([second.end(), pub.end()]);
      }
    } finally {
      await broker.close();
    }
  });

  test('with only clean-session members, nothing is kept once they are gone', async () => {
    const broker = await startBroker({ port: 0, dataDir: newDataDir(), logger });
    try {
      const member = await connectClient(broker.port, { clientId: 'gone-clean' });
      await member.client.subscribeAsync('$share/g/gone/#', { qos: 1 });
      await member.end();
      const pub = await connectClient(broker.port, { clientId: 'gone-pub' });
      await pub.client.publishAsync('gone/t', 'nobody', { qos: 1 });
      const back = await connectClient(broker.port, { clientId: 'gone-clean' });
      try {
        await back.client.subscribeAsync('$share/g/gone/#', { qos: 1 });
        await pub.client.publishAsync('gone/t', 'later', { qos: 1 });
        assert.deepEqual(payloadsOf(await back.waitForMessages(1)), ['later']);
      } finally {
        await Promise.all([back.end(), pub.end()]);
      }
    } finally {
      await broker.close();
    }
  });
});

describe('bundled broker: shared subscriptions under load', bounded, () => {
  test('1,000 QoS 1 messages, 64 in flight, two members: each once, in publish order per member', async () => {
    const broker = await startBroker({ port: 0, dataDir: newDataDir(), logger });
    const clean = await connectClient(broker.port, { clientId: 'load-clean' });
    const persistent = await connectClient(broker.port, { clientId: 'load-persistent', clean: false });
    const pub = await connectClient(broker.port, { clientId: 'load-pub' });
    try {
      for (const member of [clean, persistent]) await member.client.subscribeAsync('$share/g/load/#', { qos: 1 });
      const all = payloads('load', 1_000);
      await publishAll(pub.client, () => 'load/t', all, 1, 64);
      await settleTogether([clean, persistent], 1_000);
      assertExactlyOnce([...payloadsOf(clean.received), ...payloadsOf(persistent.received)], all, 'the group');
      for (const member of [clean, persistent]) {
        const got = payloadsOf(member.received);
        assert.deepEqual(got, [...got].sort(), `${member.client.options.clientId}: publish order`);
        assert.ok(got.length >= 300, `${member.client.options.clientId}: ${got.length}`);
      }
      assert.deepEqual([...clean.errors, ...persistent.errors, ...pub.errors], []);
    } finally {
      await Promise.all([clean.end(), persistent.end(), pub.end()]);
      await broker.close();
    }
  });
});
