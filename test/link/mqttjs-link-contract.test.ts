/**
 * Contract of the MQTT.js adapter (src/mqtt/mqttjs-link.ts) against a scripted broker: what the
 * rest of the component relies on, and every MQTT.js internal the adapter touches. A failure
 * here after an `mqtt` upgrade names the behaviour that moved.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import type { IPublishPacket, Packet } from 'mqtt-packet';
import { parsePubSubConfig } from '../../src/config/pubsub-config.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import type { InboundMessage, LinkUp, MqttLink, PublishFailure } from '../../src/mqtt/mqtt-link.js';
import { MQTTJS_INTERNALS, openMqttLink } from '../../src/mqtt/mqttjs-link.js';
import { startScriptedBroker, type PacketScript, type ScriptedBroker } from '../helpers/scripted-broker.js';
import { staysFalse, waitUntil } from '../helpers/wait.js';

async function linkTo(script: PacketScript, protocolVersion: 4 | 5 = 4, satToken?: string): Promise<{ broker: ScriptedBroker; link: MqttLink; close(): Promise<void> }> {
  const broker = await startScriptedBroker(script);
  const parsed = parsePubSubConfig({ url: broker.url, consumerID: 'c', protocolVersion: String(protocolVersion) }).connection;
  const connection = satToken === undefined ? parsed : { ...parsed, satToken };
  const link = openMqttLink({ connection, clientId: `contract-${Math.random().toString(36).slice(2)}`, clean: true, logger: createSilentLogger(), backoff: { initialMs: 50, maxMs: 200 } });
  await link.waitUntilUp(5_000);
  return {
    broker,
    link,
    async close() {
      await link.close();
      await broker.close();
    },
  };
}

const packetsOf = (broker: ScriptedBroker, cmd: string, conn?: number): Packet[] =>
  broker.received.filter((r) => r.packet.cmd === cmd && (conn === undefined || r.conn === conn)).map((r) => r.packet);

test('every MQTT.js internal the adapter names exists on a real client of the pinned version', async () => {
  const client = mqtt.connect('mqtt://127.0.0.1:1', { manualConnect: true });
  const c = client as unknown as Record<string, unknown> & { options: Record<string, unknown> };
  for (const name of MQTTJS_INTERNALS) {
    const value = name.startsWith('options.') ? c.options[name.slice('options.'.length)] : c[name];
    assert.notEqual(value, undefined, `MQTT.js no longer has ${name}`);
  }
  assert.equal(typeof c._sendPacket, 'function');
  assert.equal(typeof c.handleMessage, 'function');
  assert.equal(typeof c._storeProcessing, 'boolean');
  assert.ok(Array.isArray(c._storeProcessingQueue));
  assert.equal(typeof c.outgoing, 'object');
});

test('no PUBACK before ack(); acks go out in the order they are made', async (t) => {
  const got: InboundMessage[] = [];
  const env = await linkTo(() => false);
  t.after(() => env.close());
  env.link.onMessage((m, readMore) => {
    got.push(m);
    readMore();
  });
  const [conn] = env.broker.open;
  for (const id of [11, 12, 13]) conn?.send({ cmd: 'publish', topic: 't', payload: Buffer.from(String(id)), qos: 1, messageId: id, retain: false, dup: false });
  await waitUntil(() => got.length === 3, () => `three messages (got ${got.length})`);
  // A round trip after the messages were taken: any PUBACK MQTT.js wrote itself precedes its SUBSCRIBE.
  await env.link.subscribe('round/trip', 1);
  assert.deepEqual(packetsOf(env.broker, 'puback'), [], 'no PUBACK before ack()');
  assert.equal(got[2]?.ack(), true);
  assert.equal(got[0]?.ack(), true);
  assert.equal(got[1]?.ack(), true);
  await waitUntil(() => packetsOf(env.broker, 'puback').length === 3, () => 'three PUBACKs');
  assert.deepEqual(packetsOf(env.broker, 'puback').map((p) => p.messageId), [13, 11, 12]);
});

test('an ack of a message from an earlier link is refused (its packet id may name another message now)', async (t) => {
  const got: InboundMessage[] = [];
  let holdReplay = true;
  const env = await linkTo((conn, packet) => {
    if (packet.cmd !== 'publish') return false;
    // Link 2: the replayed publish is not acknowledged yet, so the replay is still running.
    if (!(conn.index === 2 && holdReplay)) conn.send({ cmd: 'puback', messageId: packet.messageId as number });
    return true;
  });
  t.after(() => env.close());
  env.link.onMessage((m, readMore) => {
    got.push(m);
    readMore();
  });
  env.broker.open[0]?.send({ cmd: 'publish', topic: 't', payload: Buffer.from('old'), qos: 1, messageId: 5, retain: false, dup: false });
  await waitUntil(() => got.length === 1, () => 'the message on link 1');
  // Something in MQTT.js's store, so link 2 starts with a replay.
  const failures: Array<PublishFailure | undefined> = [];
  env.broker.open[0]?.destroy();
  env.link.publish('p', Buffer.from('x'), { qos: 1, retain: false }, (f) => failures.push(f));
  await waitUntil(() => env.broker.published.some((p) => p.conn === 2), () => 'the replay on link 2');
  // A message on link 2 during the replay belongs to link 2 and can be acknowledged.
  env.broker.open[0]?.send({ cmd: 'publish', topic: 't', payload: Buffer.from('new'), qos: 1, messageId: 6, retain: false, dup: false });
  await waitUntil(() => got.length === 2, () => 'the message on link 2');
  assert.equal(got[0]?.ack(), false, 'link-1 message: refused');
  assert.equal(got[1]?.ack(), true, 'link-2 message: acknowledged, even during the replay');
  await waitUntil(() => packetsOf(env.broker, 'puback', 2).length === 1, () => 'a PUBACK on link 2');
  assert.deepEqual(packetsOf(env.broker, 'puback', 2).map((p) => p.messageId), [6]);
  holdReplay = false;
});

test('a publish made while the link is down waits in the link and can be withdrawn before it is ever sent', async (t) => {
  const env = await linkTo((conn, packet) => {
    if (packet.cmd === 'connect' && conn.index === 2) return true; // link 2 never gets its CONNACK
    if (packet.cmd === 'publish') conn.send({ cmd: 'puback', messageId: packet.messageId as number });
    return packet.cmd === 'publish';
  });
  t.after(() => env.close());
  env.broker.dropAll();
  await waitUntil(() => !env.link.ready, () => 'the link down');
  let called = false;
  const handle = env.link.publish('w', Buffer.from('w'), { qos: 1, retain: false }, () => (called = true));
  assert.equal(handle.sent, false);
  assert.equal(handle.messageId, undefined);
  assert.equal(handle.cancel(), true);
  assert.equal(handle.cancel(), false, 'once');
  await waitUntil(() => env.broker.connections >= 2, () => 'a reconnect attempt');
  assert.equal(called, false, 'the callback of a withdrawn publish is not called');
  assert.deepEqual(env.broker.published, []);
});

test('store replay: a publish keeps its packet id across links; one withdrawn during the replay is not sent', async (t) => {
  let ackOnLink2 = false;
  const env = await linkTo((conn, packet) => {
    if (packet.cmd !== 'publish') return false;
    if (conn.index >= 3 || (conn.index === 2 && ackOnLink2)) conn.send({ cmd: 'puback', messageId: packet.messageId as number });
    return true;
  });
  t.after(() => env.close());
  const outcome: Record<string, PublishFailure | undefined | 'pending'> = { a: 'pending', b: 'pending', c: 'pending' };
  const a = env.link.publish('a', Buffer.from('A'), { qos: 1, retain: false }, (f) => (outcome.a = f));
  const b = env.link.publish('b', Buffer.from('B'), { qos: 1, retain: false }, (f) => (outcome.b = f));
  await waitUntil(() => env.broker.published.length === 2, () => 'A and B on link 1');
  assert.deepEqual(
    env.broker.published.map((p) => p.packet.messageId),
    [a.messageId, b.messageId],
    'the handle knows the real packet id',
  );
  assert.notEqual(a.messageId, b.messageId);
  env.broker.dropAll();
  // Link 2 resends A first and waits for its PUBACK before B (MQTT.js replays one at a time).
  await waitUntil(() => env.broker.published.some((p) => p.conn === 2), () => 'the replay on link 2');
  const replayedA = env.broker.published.find((p) => p.conn === 2)?.packet as IPublishPacket;
  assert.equal(replayedA.topic, 'a');
  assert.equal(replayedA.messageId, a.messageId, 'same packet id on the new link');
  assert.equal(env.link.ready, false, 'not up for new publishes while the replay runs');
  assert.equal(b.cancel(), true, 'B withdrawn during the replay');
  ackOnLink2 = true;
  env.broker.open[0]?.send({ cmd: 'puback', messageId: a.messageId as number });
  await waitUntil(() => outcome.a === undefined, () => 'A acknowledged');
  await waitUntil(() => env.link.ready, () => 'the link up after the replay');
  const c = env.link.publish('c', Buffer.from('C'), { qos: 1, retain: false }, (f) => (outcome.c = f));
  await waitUntil(() => outcome.c === undefined, () => 'C acknowledged');
  assert.deepEqual(
    env.broker.published.filter((p) => p.conn === 2).map((p) => p.packet.topic),
    ['a', 'c'],
    'B, withdrawn during the replay, never reached link 2',
  );
  assert.equal(outcome.b, 'pending', 'a withdrawn publish never calls back');
  assert.ok(c.messageId !== undefined);
});

test('every link up is reported with its generation, to a listener added after the first one too', async (t) => {
  const env = await linkTo(() => false);
  t.after(() => env.close());
  const ups: LinkUp[] = [];
  env.link.onUp((up) => ups.push(up));
  env.broker.dropAll();
  await waitUntil(() => ups.length === 1, () => 'the first reconnect');
  assert.equal(ups[0]?.generation, 2);
  assert.equal(ups[0]?.reconnect, true, 'the first reconnect is a reconnect');
  env.broker.dropAll();
  await waitUntil(() => ups.length === 2, () => 'the second reconnect');
  assert.equal(ups[1]?.generation, 3);
});

test('MQTT 5: capabilities come from the CONNACK; re-authentication sends AUTH 0x19 with method and data', async (t) => {
  const env = await linkTo((conn, packet) => {
    if (packet.cmd !== 'connect') return false;
    conn.send({ cmd: 'connack', sessionPresent: false, reasonCode: 0, properties: { receiveMaximum: 7, maximumPacketSize: 4096, sharedSubscriptionAvailable: false } } as Packet);
    return true;
  }, 5, 'token-1');
  t.after(() => env.close());
  assert.equal(env.link.capabilities?.protocolVersion, 5);
  assert.equal(env.link.capabilities?.receiveMaximum, 7);
  assert.equal(env.link.capabilities?.maximumPacketSize, 4096);
  assert.equal(env.link.capabilities?.sharedSubscriptionAvailable, false);
  env.link.reauthenticate('K8S-SAT', Buffer.from('token-2'));
  await waitUntil(() => packetsOf(env.broker, 'auth').length === 1, () => 'an AUTH packet');
  const auth = packetsOf(env.broker, 'auth')[0] as Packet & { reasonCode: number; properties: { authenticationMethod: string; authenticationData: Buffer } };
  assert.equal(auth.reasonCode, 0x19);
  assert.equal(auth.properties.authenticationMethod, 'K8S-SAT');
  assert.equal(auth.properties.authenticationData.toString(), 'token-2');
  assert.ok(await staysFalse(() => !env.link.ready, 200), 'the link stays up across the re-authentication');
});

test('MQTT 5: re-authentication on a link that did not authenticate with that method is refused, not sent', async (t) => {
  const env = await linkTo(() => false, 5);
  t.after(() => env.close());
  assert.throws(() => env.link.reauthenticate('K8S-SAT', Buffer.from('t')), /no enhanced authentication/);
  assert.deepEqual(packetsOf(env.broker, 'auth'), []);
});

test('a refused subscription is reported with its reason code (3.1.1: 0x80; 5: 0x87)', async (t) => {
  for (const [version, code] of [[4, 0x80], [5, 0x87]] as const) {
    const env = await linkTo((conn, packet) => {
      if (packet.cmd !== 'subscribe') return false;
      conn.send({ cmd: 'suback', messageId: packet.messageId as number, granted: [code] });
      return true;
    }, version);
    t.after(() => env.close());
    assert.deepEqual(await env.link.subscribe('denied/#', 1), { refused: code, reasonString: undefined });
  }
});

test('close() fails the publishes still waiting for a link (never sent) instead of leaving them pending', async (t) => {
  const env = await linkTo((conn, packet) => packet.cmd === 'connect' && conn.index >= 2);
  t.after(() => env.broker.close());
  env.broker.dropAll();
  await waitUntil(() => !env.link.ready, () => 'the link down');
  const outcomes: Array<PublishFailure | undefined> = [];
  const handle = env.link.publish('w', Buffer.from('w'), { qos: 1, retain: false }, (f) => outcomes.push(f));
  await env.link.close();
  assert.equal(outcomes.length, 1);
  assert.match(outcomes[0]?.error.message ?? '', /closed before the publish could be sent/);
  assert.equal(handle.sent, false);
  assert.equal(handle.cancel(), false, 'already completed');
});
