/**
 * One component server on a temp socket folder, talking to either the bundled broker (started
 * in-process on port 0 with a temp data dir) or the shared Mosquitto. Every fixture has its own
 * random topic prefix; everything it starts or hands out is closed by `close()`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { startComponentServer } from '../../src/grpc/start-component-server.js';
import { startBroker, type Broker } from '../../src/broker/start-broker.js';
import { createLogger, createSilentLogger, type Logger } from '../../src/logging/logger.js';
import { connectPubSub, type PubSubConnection } from './daprd-harness.js';
import { clearRetained, connectPeer, type MqttPeer } from './mqtt-peer.js';
import type { IClientOptions } from 'mqtt';

/** `external`: a broker the test started itself (test/interop), reached at FixtureOptions.brokerUrl. */
export type BrokerKind = 'bundled' | 'mosquitto' | 'external';

/** The shared Mosquitto 2.x on this machine (anonymous); override with MOSQUITTO_URL. */
export const MOSQUITTO_URL = process.env.MOSQUITTO_URL ?? 'tcp://127.0.0.1:1883';

export interface FixtureOptions {
  broker: BrokerKind;
  /** Socket file is `<folder>/<socketName>.sock` (default `mqtt-test`). */
  socketName?: string;
  /** MQTT protocol level of every instance (`protocolVersion` in Init) and of the plain peers; default 4. */
  protocolVersion?: 4 | 5;
  /** `external` only: the broker's url (one or several, comma-separated). */
  brokerUrl?: string;
}

export interface Fixture {
  readonly kind: BrokerKind;
  /** The protocol level instances and peers use (FixtureOptions.protocolVersion). */
  readonly protocolVersion: 4 | 5;
  readonly socketPath: string;
  /** `tcp://127.0.0.1:<port>` of the broker the component should use. */
  readonly brokerUrl: string;
  /** Random topic prefix owned by this fixture; every topic a test uses starts with it. */
  readonly prefix: string;
  /** `<prefix>/<name>`. */
  topic(name: string): string;
  /** A unique id (consumerIDs, clientIds, instance names). */
  uid(label: string): string;
  /** A harness connection as one component instance (unique name by default); closed by close(). */
  connect(instance?: string): PubSubConnection;
  /**
   * Like daprd: connect, Init with `url` + a unique `consumerID` (overridable via `properties`),
   * then Features. Returns the connection.
   */
  initInstance(properties?: Record<string, string>, instance?: string): Promise<PubSubConnection>;
  /** A plain MQTT.js client on the same broker; closed by close(). */
  peer(options?: IClientOptions): Promise<MqttPeer>;
  /** Topics whose retained message close() must clear (matters on the persistent Mosquitto). */
  trackRetained(topic: string): void;
  /** Bundled only: the running broker (e.g. to hang extra listeners on its `aedes`); undefined while stopped. */
  bundledBroker(): Broker | undefined;
  /** Bundled only: closes the broker (the component stays up). */
  stopBroker(): Promise<void>;
  /** Bundled only: starts the broker again on the same port and data dir. */
  restartBroker(): Promise<void>;
  close(): Promise<void>;
}

function testLogger(): Logger {
  const level = process.env.TEST_LOG_LEVEL;
  return level ? createLogger({ level, destination: pino.destination(2) }) : createSilentLogger();
}

/** True when something accepts TCP connections at the url's host:port. */
export async function isReachable(url: string, timeoutMs = 1_000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise<boolean>((resolve) => {
    const socket = netConnect({ host: hostname, port: Number(port || 1883) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function randomId(label: string): string {
  return `${label}-${randomBytes(5).toString('hex')}`;
}

export async function startFixture(options: FixtureOptions): Promise<Fixture> {
  const logger = testLogger();
  const cleanups: Array<() => Promise<void>> = [];
  const runCleanups = async () => {
    const errors: unknown[] = [];
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'fixture cleanup failed');
  };

  try {
    let brokerUrl: string;
    let broker: Broker | undefined;
    let brokerPort = 0;
    let dataDir: string | undefined;
    if (options.broker === 'bundled') {
      dataDir = await mkdtemp(join(tmpdir(), 'dmq-broker-'));
      const dir = dataDir;
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const started = await startBroker({ port: 0, host: '127.0.0.1', dataDir, logger });
      broker = started;
      brokerPort = started.port;
      cleanups.push(async () => {
        await broker?.close();
        broker = undefined;
      });
      brokerUrl = `tcp://127.0.0.1:${brokerPort}`;
    } else if (options.broker === 'external') {
      if (options.brokerUrl === undefined) throw new Error('startFixture: an external broker needs brokerUrl');
      brokerUrl = options.brokerUrl;
    } else {
      brokerUrl = MOSQUITTO_URL;
    }

    // Short folder name: a Unix socket path must stay under ~104 bytes.
    const socketFolder = await mkdtemp(join(tmpdir(), 'dmq-'));
    cleanups.push(() => rm(socketFolder, { recursive: true, force: true }));
    const server = await startComponentServer({ socketFolder, socketName: options.socketName ?? 'mqtt-test', logger });
    cleanups.push(() => server.close());

    const prefix = randomId('dmqt');
    const connections = new Set<PubSubConnection>();
    const peers = new Set<MqttPeer>();
    const retained = new Set<string>();
    // Registered after the server so they run before it closes (cleanups run in reverse).
    cleanups.push(async () => {
      await Promise.allSettled([...connections].map((c) => c.close()));
      await Promise.allSettled([...peers].map((p) => p.close()));
      if (broker || options.broker !== 'bundled') await clearRetained(brokerUrl.split(',')[0]!, retained);
    });

    const protocolVersion = options.protocolVersion ?? 4;
    const fixture: Fixture = {
      kind: options.broker,
      protocolVersion,
      socketPath: server.socketPath,
      brokerUrl,
      prefix,
      topic: (name) => `${prefix}/${name}`,
      uid: (label) => randomId(label),
      connect(instance) {
        const conn = connectPubSub(server.socketPath, instance ?? randomId('inst'));
        connections.add(conn);
        return conn;
      },
      async initInstance(properties = {}, instance) {
        const conn = fixture.connect(instance);
        const version: Record<string, string> = protocolVersion === 5 ? { protocolVersion: '5' } : {};
        await conn.init({ url: brokerUrl, consumerID: randomId('consumer'), ...version, ...properties });
        await conn.features();
        return conn;
      },
      async peer(peerOptions) {
        const p = await connectPeer(brokerUrl, { protocolVersion, ...peerOptions });
        peers.add(p);
        return p;
      },
      bundledBroker: () => broker,
      trackRetained(topic) {
        retained.add(topic);
      },
      async stopBroker() {
        if (options.broker !== 'bundled') throw new Error('stopBroker: only the bundled broker can be stopped');
        await broker?.close();
        broker = undefined;
      },
      async restartBroker() {
        if (options.broker !== 'bundled' || !dataDir) throw new Error('restartBroker: only the bundled broker can be restarted');
        if (broker) await broker.close();
        broker = await startBroker({ port: brokerPort, host: '127.0.0.1', dataDir, logger });
      },
      close: runCleanups,
    };
    return fixture;
  } catch (err) {
    await runCleanups().catch(() => undefined);
    throw err;
  }
}
