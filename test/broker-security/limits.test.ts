/**
 * The bundled broker's limits, in-process on 127.0.0.1 port 0: max packet size (checked on the
 * header, before anything is buffered; 64 KiB before CONNECT), max topic levels, max in-flight
 * QoS 1/2 per client, max connections (CONNACK 3). Each refusal ends only the offending
 * connection and is logged once. Real MQTT.js clients, and raw sockets for what MQTT.js will
 * not send (pipelined floods, headers that lie about their length).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { MqttClient } from 'mqtt';
import { startBroker, type Broker } from '../../src/broker/start-broker.js';
import { BROKER_LIMIT_DEFAULTS } from '../../src/config/env.js';
import {
  captureLogger,
  closed,
  connectBytes,
  endAll,
  grantOf,
  mustConnect,
  publishBytes,
  rawConnect,
  remainingLength,
  removeTempDirs,
  tempDir,
  tryConnect,
  within,
  type RawClient,
} from './security-fixture.js';

/** Watches for `ms` that `raw` stays open (used only to show something does NOT happen). */
async function staysOpen(raw: RawClient, ms: number): Promise<boolean> {
  await Promise.race([raw.closed, new Promise((r) => setTimeout(r, ms))]);
  return !raw.isClosed();
}

async function connectedRaw(port: number, clientId: string): Promise<RawClient> {
  const raw = await rawConnect(port);
  raw.write(connectBytes(clientId));
  await within(
    (async () => {
      while (!raw.received.some((p) => p.type === 2)) await new Promise((r) => setTimeout(r, 5));
    })(),
    'CONNACK',
  );
  assert.equal(raw.received[0]?.returnCode, 0);
  return raw;
}

describe('limits of the bundled broker', () => {
  let broker: Broker;
  let capture: ReturnType<typeof captureLogger>;
  const MAX_PACKET = 4096;

  before(async () => {
    capture = captureLogger('debug');
    broker = await startBroker({
      port: 0,
      host: '127.0.0.1',
      dataDir: path.join(await tempDir('limits'), 'data'),
      logger: capture.logger,
      security: { limits: { maxPacketSize: MAX_PACKET, maxTopicLevels: 5, maxInflight: 10 } },
    });
  });
  after(async () => {
    await broker?.close();
    await removeTempDirs();
  });

  test('max packet size: a publish within it is delivered; one above ends that connection only, undelivered, logged once', async () => {
    const watcher = await mustConnect({ host: '127.0.0.1', port: broker.port, clientId: 'size-watcher' });
    const pub = await mustConnect({ host: '127.0.0.1', port: broker.port, clientId: 'size-pub' });
    try {
      const got: number[] = [];
      watcher.on('message', (_t, payload) => got.push(payload.length));
      await watcher.subscribeAsync('size/#', { qos: 1 });
      await pub.publishAsync('size/ok', Buffer.alloc(MAX_PACKET - 100), { qos: 1 });
      const before = capture.lines.length;
      const gone = closed(pub);
      pub.publish('size/big', Buffer.alloc(MAX_PACKET + 1), { qos: 1 }, () => {});
      await within(gone, 'the oversized publisher is disconnected');
      await watcher.publishAsync('size/marker', 'm', { qos: 1 });
      await within(
        (async () => {
          while (got.length < 2) await new Promise((r) => setTimeout(r, 5));
        })(),
        'marker',
      );
      assert.deepEqual(got, [MAX_PACKET - 100, 1], 'the oversized message was not delivered');
      assert.equal(watcher.connected, true, 'other clients are untouched');
      const lines = capture.parsed().slice(before).filter((l) => String(l.error ?? '').includes('MQTT_BROKER_MAX_PACKET_SIZE'));
      assert.equal(lines.length, 1, 'one log line');
      assert.equal(lines[0]!.clientId, 'size-pub');
      assert.match(String(lines[0]!.error), /packet of \d+ bytes exceeds MQTT_BROKER_MAX_PACKET_SIZE \(4096 bytes\)/);
    } finally {
      await endAll(watcher, pub);
    }
  });

  test('max packet size is checked on the header: a lying 100 MB header is refused at once, without waiting for its body', async () => {
    const raw = await connectedRaw(broker.port, 'size-liar');
    const t0 = Date.now();
    raw.write(Buffer.concat([Buffer.from([0x32]), remainingLength(100 * 1024 * 1024)]));
    await within(raw.closed, 'refused on the header alone', 2_000);
    assert.ok(Date.now() - t0 < 2_000);
  });

  test('before CONNECT completes, at most 64 KiB: a huge first packet is refused on its header; a normal one is not', async () => {
    const liar = await rawConnect(broker.port);
    liar.write(Buffer.concat([Buffer.from([0x10]), remainingLength(1024 * 1024)]));
    await within(liar.closed, 'a 1 MiB CONNECT header is refused', 2_000);
    const line = capture.parsed().find((l) => l.msg === 'connection error before CONNECT completed' && String(l.error).includes('first packet'));
    assert.ok(line, 'logged once, as a connection error');
    assert.equal(line.remote, '127.0.0.1');
    const fine = await rawConnect(broker.port);
    fine.write(Buffer.concat([Buffer.from([0x10]), remainingLength(1000)])); // a 1 KB CONNECT still on its way
    assert.equal(await staysOpen(fine, 300), true, 'a CONNECT within 64 KiB is waited for');
    fine.destroy();
  });

  test('max topic levels: a publish with more levels ends the connection, a subscription with more is refused', async () => {
    const ok = await mustConnect({ host: '127.0.0.1', port: broker.port, clientId: 'levels-ok' });
    const deep = await mustConnect({ host: '127.0.0.1', port: broker.port, clientId: 'levels-deep' });
    try {
      await ok.publishAsync('a/b/c/d/e', 'x', { qos: 1 });
      assert.equal(await grantOf(ok, 'a/b/c/d/+'), 1);
      const gone = closed(deep);
      deep.publish('a/b/c/d/e/f', 'x', { qos: 1 }, () => {});
      await within(gone, 'six levels: disconnected');
      assert.equal(ok.connected, true);
      const sub = await mustConnect({ host: '127.0.0.1', port: broker.port, clientId: 'levels-sub' });
      const subGone = closed(sub);
      sub.subscribe('a/b/c/d/e/#', { qos: 1 }, () => {});
      await within(subGone, 'a six-level filter ends the connection too (Aedes refuses the SUBSCRIBE)');
      await endAll(sub);
      const lines = capture.parsed().filter((l) => String(l.error ?? '').includes('too many levels'));
      assert.ok(lines.some((l) => l.clientId === 'levels-deep'), 'the refusal is logged with the client id');
    } finally {
      await endAll(ok, deep);
    }
  });

  test('a connection that sends no CONNECT is closed after 10 s (it would hold a connection slot)', async () => {
    const idle = await rawConnect(broker.port);
    const t0 = Date.now();
    await within(idle.closed, 'closed', 15_000);
    const waited = Date.now() - t0;
    assert.ok(waited >= 9_000 && waited < 13_000, `closed after ${waited} ms`);
  });

  test('max in-flight, QoS 1: ten pipelined publishes are acknowledged, eleven end the connection', async () => {
    const fits = await connectedRaw(broker.port, 'inflight-fits');
    fits.write(Buffer.concat(Array.from({ length: 10 }, (_, i) => publishBytes('inflight/q1', `m${i}`, 1, i + 1))));
    await within(
      (async () => {
        while (fits.received.filter((p) => p.type === 4).length < 10) await new Promise((r) => setTimeout(r, 5));
      })(),
      '10 PUBACKs',
    );
    assert.equal(fits.isClosed(), false);
    fits.destroy();

    const over = await connectedRaw(broker.port, 'inflight-over');
    over.write(Buffer.concat(Array.from({ length: 11 }, (_, i) => publishBytes('inflight/q1', `m${i}`, 1, i + 1))));
    await within(over.closed, 'eleven unacknowledged QoS 1 publishes: disconnected');
    const line = capture.parsed().find((l) => l.clientId === 'inflight-over' && String(l.error).includes('MQTT_BROKER_MAX_INFLIGHT'));
    assert.ok(line, 'logged with the client id and the variable');
  });

  test('max in-flight, QoS 2: a client that withholds PUBREL gets ten PUBRECs, the eleventh publish ends the connection', async () => {
    const raw = await connectedRaw(broker.port, 'inflight-q2');
    for (let i = 1; i <= 10; i++) raw.write(publishBytes('inflight/q2', `m${i}`, 2, i));
    await within(
      (async () => {
        while (raw.received.filter((p) => p.type === 5).length < 10) await new Promise((r) => setTimeout(r, 5));
      })(),
      '10 PUBRECs',
    );
    assert.equal(raw.isClosed(), false, 'ten awaiting PUBREL are within the limit');
    raw.write(publishBytes('inflight/q2', 'm11', 2, 11));
    await within(raw.closed, 'the eleventh: disconnected');
    assert.equal(raw.received.filter((p) => p.type === 5).length, 10, 'no PUBREC for the eleventh');
  });
});

describe('max connections', () => {
  let broker: Broker;
  let capture: ReturnType<typeof captureLogger>;
  before(async () => {
    capture = captureLogger('debug');
    broker = await startBroker({
      port: 0,
      host: '127.0.0.1',
      dataDir: path.join(await tempDir('maxconn'), 'data'),
      logger: capture.logger,
      security: { limits: { maxConnections: 3 } },
    });
  });
  after(async () => {
    await broker?.close();
    await removeTempDirs();
  });

  test('beyond the limit CONNECT gets CONNACK 3 (server unavailable); a freed slot is usable again; refusals are logged once per burst', async () => {
    const clients = await Promise.all([1, 2, 3].map((i) => mustConnect({ host: '127.0.0.1', port: broker.port, clientId: `conn-${i}` })));
    try {
      const fourth = await tryConnect({ host: '127.0.0.1', port: broker.port, clientId: 'conn-4' });
      assert.equal(fourth.ok, false);
      assert.equal(!fourth.ok && fourth.code, 3, 'Server unavailable');
      const fifth = await tryConnect({ host: '127.0.0.1', port: broker.port, clientId: 'conn-5' });
      assert.equal(!fifth.ok && fifth.code, 3);
      assert.ok(clients.every((c) => c.connected), 'the connections already open are untouched');
      const refusals = capture.parsed().filter((l) => String(l.msg).includes('MQTT_BROKER_MAX_CONNECTIONS'));
      assert.equal(refusals.length, 1, 'one warn line for the burst, not one per refused connection');
      assert.equal(refusals[0]!.maxConnections, 3);

      const gone = closed(clients[0]!);
      await endAll(clients[0]);
      await within(gone, 'closed');
      // The broker sees the socket close a moment later.
      let again = await tryConnect({ host: '127.0.0.1', port: broker.port, clientId: 'conn-6' });
      for (let i = 0; !again.ok && i < 50; i++) {
        await new Promise((r) => setTimeout(r, 20));
        again = await tryConnect({ host: '127.0.0.1', port: broker.port, clientId: 'conn-6' });
      }
      assert.equal(again.ok, true, 'a freed slot takes a new connection');
      if (again.ok) clients[0] = again.client;
    } finally {
      await endAll(...clients);
    }
  });

  test('a connection over the limit that never sends CONNECT is dropped within 5 s', async () => {
    // The previous test's connections leave the broker's count a moment after they closed.
    const connectWhenFree = async (clientId: string): Promise<MqttClient> => {
      for (let i = 0; ; i++) {
        const attempt = await tryConnect({ host: '127.0.0.1', port: broker.port, clientId });
        if (attempt.ok) return attempt.client;
        if (i >= 100) throw new Error(`no free slot: ${attempt.message}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const clients: MqttClient[] = [];
    for (const i of [1, 2, 3]) clients.push(await connectWhenFree(`idle-${i}`));
    try {
      const raw = await rawConnect(broker.port);
      const t0 = Date.now();
      await within(raw.closed, 'the lingering refused connection is dropped', 8_000);
      const waited = Date.now() - t0;
      assert.ok(waited >= 4_000 && waited < 7_000, `dropped after ${waited} ms`);
    } finally {
      await endAll(...clients);
    }
  });
});

describe('default limits', () => {
  let broker: Broker;
  before(async () => {
    broker = await startBroker({ port: 0, host: '127.0.0.1', dataDir: path.join(await tempDir('deflimits'), 'data'), logger: captureLogger('silent').logger });
  });
  after(async () => {
    await broker?.close();
    await removeTempDirs();
  });

  test(`max packet size ${BROKER_LIMIT_DEFAULTS.maxPacketSize} bytes: one byte more is refused on its header, the limit itself is waited for`, async () => {
    const header = (size: number): Buffer => {
      // A PUBLISH of exactly `size` bytes: type byte + Remaining Length bytes + body.
      let lengthBytes = 1;
      while (remainingLength(size - 1 - lengthBytes).length !== lengthBytes) lengthBytes += 1;
      return Buffer.concat([Buffer.from([0x30]), remainingLength(size - 1 - lengthBytes)]);
    };
    const over = await connectedRaw(broker.port, 'default-over');
    over.write(header(BROKER_LIMIT_DEFAULTS.maxPacketSize + 1));
    await within(over.closed, 'refused', 2_000);
    const at = await connectedRaw(broker.port, 'default-at');
    at.write(header(BROKER_LIMIT_DEFAULTS.maxPacketSize));
    assert.equal(await staysOpen(at, 300), true, 'a packet of exactly the limit is accepted (its body is awaited)');
    at.destroy();
  });
});
