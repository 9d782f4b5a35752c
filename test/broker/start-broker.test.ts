import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { startBroker, type Broker } from '../../src/broker/start-broker.js';
import { createLogger, createSilentLogger } from '../../src/logging/logger.js';
import { connectClient, WAIT_MS } from './mqtt-test-client.js';

const logger = createSilentLogger();
let root: string;
let dirCount = 0;
const newDataDir = (): string => join(root, `data-${++dirCount}`);

function listenOn(port: number, host = '127.0.0.1'): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => resolve(server));
  });
}

const closeServer = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'broker-test-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('bundled broker: publish/subscribe', () => {
  let broker: Broker;
  before(async () => {
    broker = await startBroker({ port: 0, dataDir: newDataDir(), logger });
  });
  after(async () => {
    await broker.close();
  });

  test('binds a real port when 0 is asked', () => {
    assert.ok(Number.isInteger(broker.port) && broker.port > 0, `port ${broker.port}`);
  });

  test('delivers QoS 0, 1 and 2 with their QoS', async () => {
    const sub = await connectClient(broker.port, { clientId: 'qos-sub' });
    const pub = await connectClient(broker.port, { clientId: 'qos-pub' });
    try {
      const granted = await sub.client.subscribeAsync('qos/#', { qos: 2 });
      assert.equal(granted[0]?.qos, 2);
      for (const qos of [0, 1, 2] as const) {
        await pub.client.publishAsync(`qos/${qos}`, `payload-${qos}`, { qos });
      }
      const got = await sub.waitForMessages(3);
      assert.deepEqual(
        got.map(({ topic, payload, qos, retain }) => ({ topic, payload, qos, retain })),
        [
          { topic: 'qos/0', payload: 'payload-0', qos: 0, retain: false },
          { topic: 'qos/1', payload: 'payload-1', qos: 1, retain: false },
          { topic: 'qos/2', payload: 'payload-2', qos: 2, retain: false },
        ],
      );
    } finally {
      await Promise.all([sub.end(), pub.end()]);
    }
  });

  test('a retained message reaches a later subscriber with the retain flag', async () => {
    const live = await connectClient(broker.port, { clientId: 'ret-live' });
    const pub = await connectClient(broker.port, { clientId: 'ret-pub' });
    await live.client.subscribeAsync('ret/#', { qos: 1 });
    await pub.client.publishAsync('ret/a', 'retained-a', { qos: 1, retain: true });
    // [MQTT-3.3.1-9] a subscriber that was already there gets it without the retain flag
    const [liveMsg] = await live.waitForMessages(1);
    assert.deepEqual(liveMsg, { topic: 'ret/a', payload: 'retained-a', qos: 1, retain: false });

    const later = await connectClient(broker.port, { clientId: 'ret-later' });
    try {
      await later.client.subscribeAsync('ret/+', { qos: 1 });
      const [laterMsg] = await later.waitForMessages(1);
      assert.deepEqual(laterMsg, { topic: 'ret/a', payload: 'retained-a', qos: 1, retain: true });
    } finally {
      await Promise.all([live.end(), pub.end(), later.end()]);
    }
  });

  test('PUBACK is sent only after the message is stored', async () => {
    // An offline persistent subscriber, so the QoS 1 message has to be queued in LevelDB.
    const sub = await connectClient(broker.port, { clientId: 'gate-sub', clean: false });
    await sub.client.subscribeAsync('gate/#', { qos: 1 });
    await sub.end();

    type Enqueue = (subs: unknown, packet: { topic: string }) => Promise<unknown>;
    const persistence = (broker.aedes as unknown as { persistence: { outgoingEnqueueCombi: Enqueue } }).persistence;
    const original = persistence.outgoingEnqueueCombi;
    let publisherConn: Socket | undefined;
    const onClient = (client: { id: string; conn: unknown }): void => {
      if (client.id === 'gate-pub') publisherConn = client.conn as Socket;
    };
    broker.aedes.on('client', onClient);

    const events: string[] = [];
    let entered!: (bytesWritten: number) => void;
    const storeEntered = new Promise<number>((resolve) => (entered = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    persistence.outgoingEnqueueCombi = async (subs, packet) => {
      if (!packet.topic.startsWith('gate/')) return original.call(persistence, subs, packet);
      entered(publisherConn?.bytesWritten ?? -1);
      await released;
      const result = await original.call(persistence, subs, packet);
      events.push('stored');
      return result;
    };

    const pub = await connectClient(broker.port, { clientId: 'gate-pub' });
    try {
      // The broker has written CONNACK and nothing since.
      const bytesAfterConnack = publisherConn?.bytesWritten;
      assert.ok(bytesAfterConnack !== undefined && bytesAfterConnack > 0);
      pub.client.on('packetreceive', (packet) => {
        if (packet.cmd === 'puback') events.push('puback');
      });
      const published = pub.client.publishAsync('gate/1', 'gated', { qos: 1 });

      const bytesAtStore = await within(storeEntered, 'the broker to start storing the message');
      assert.equal(bytesAtStore, bytesAfterConnack, 'the broker wrote to the publisher (a PUBACK) before storing the message');
      release();
      await within(published, 'PUBACK after the store');
      assert.deepEqual(events, ['stored', 'puback']);
    } finally {
      release();
      persistence.outgoingEnqueueCombi = original;
      broker.aedes.off('client', onClient);
      await pub.end();
    }
  });
});

describe('bundled broker: startup failures', () => {
  test('a port already bound rejects with ERR_BROKER_PORT_IN_USE and releases the data dir', async () => {
    const blocker = await listenOn(0);
    const { port } = blocker.address() as AddressInfo;
    const dataDir = newDataDir();
    try {
      await assert.rejects(startBroker({ port, dataDir, logger }), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'ERR_BROKER_PORT_IN_USE');
        assert.match(err.message, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use`));
        assert.match(err.message, /MQTT_BROKER_PORT/);
        assert.doesNotMatch(err.message, /\n/);
        return true;
      });
    } finally {
      await closeServer(blocker);
    }
    // The LevelDB opened before the failed listen was closed: the same data dir opens again.
    const broker = await startBroker({ port: 0, dataDir, logger });
    await broker.close();
  });

  test('a data dir held by another broker rejects with ERR_BROKER_START naming MQTT_BROKER_DATA', async () => {
    const dataDir = newDataDir();
    const first = await startBroker({ port: 0, dataDir, logger });
    try {
      await assert.rejects(startBroker({ port: 0, dataDir, logger }), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'ERR_BROKER_START');
        assert.match(err.message, /MQTT_BROKER_DATA/);
        assert.match(err.message, /in use by another process/);
        assert.doesNotMatch(err.message, /\n/);
        return true;
      });
    } finally {
      await first.close();
    }
  });

  test('a data dir that cannot be created rejects with ERR_BROKER_START naming MQTT_BROKER_DATA', async () => {
    const file = join(root, 'not-a-directory');
    await writeFile(file, 'x');
    await assert.rejects(startBroker({ port: 0, dataDir: join(file, 'data'), logger }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'ERR_BROKER_START');
      assert.match(err.message, /MQTT_BROKER_DATA/);
      assert.match(err.message, /ENOTDIR/);
      return true;
    });
  });
});

describe('bundled broker: close', () => {
  test('close() is idempotent, drops every connection and frees the port and the data dir', async () => {
    const dataDir = newDataDir();
    const broker = await startBroker({ port: 0, dataDir, logger });
    const mqttClient = await connectClient(broker.port, { clientId: 'close-client' });
    const mqttClosed = new Promise<void>((resolve) => mqttClient.client.once('close', () => resolve()));
    // A connection that never sends CONNECT: Aedes does not track it, the listener must.
    const raw = connect({ port: broker.port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => raw.once('connect', resolve).once('error', reject));
    const rawClosed = new Promise<void>((resolve) => raw.once('close', () => resolve()));

    const first = broker.close();
    assert.equal(broker.close(), first, 'a second close() while closing returns the same promise');
    await within(first, 'close()');
    await within(broker.close(), 'close() after close()');
    await within(Promise.all([mqttClosed, rawClosed]), 'clients to be disconnected');
    assert.equal(broker.aedes.closed, true);

    const server = await listenOn(broker.port); // throws EADDRINUSE if still bound
    await closeServer(server);
    const db = new ClassicLevel(join(dataDir, 'broker'));
    await db.open(); // throws LEVEL_LOCKED if the broker still held it
    await db.close();
    await mqttClient.end();
  });
});

describe('bundled broker: logging', () => {
  test('logs connects and disconnects at debug, never payloads or passwords', async () => {
    const lines: string[] = [];
    const captured = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
    const broker = await startBroker({ port: 0, dataDir: newDataDir(), logger: captured });
    try {
      const disconnected = new Promise<void>((resolve) =>
        broker.aedes.on('clientDisconnect', (client) => client.id === 'log-client' && resolve()),
      );
      const client = await connectClient(broker.port, {
        clientId: 'log-client',
        username: 'log-user',
        password: 'pw-8a1f2c7e',
      });
      await client.client.subscribeAsync('log/t', { qos: 1 });
      await client.client.publishAsync('log/t', 'payload-5d9e3b', { qos: 1, retain: true });
      await client.waitForMessages(1);
      await client.end();
      await within(disconnected, 'the broker to see the disconnect');
    } finally {
      await broker.close();
    }
    const records = lines.map((line) => JSON.parse(line) as { level: number; msg: string; clientId?: string });
    const debug = 20;
    assert.ok(records.some((r) => r.level === debug && r.msg === 'client connected' && r.clientId === 'log-client'), lines.join(''));
    assert.ok(records.some((r) => r.level === debug && r.msg === 'client disconnected' && r.clientId === 'log-client'), lines.join(''));
    const all = lines.join('');
    assert.doesNotMatch(all, /pw-8a1f2c7e/);
    assert.doesNotMatch(all, /payload-5d9e3b/);
  });
});
