/**
 * A component server on a temp socket folder plus a state service, in one of two set-ups:
 *   bundled    the bundled broker in-process on port 0, its state service attached in-process
 *   mosquitto  the shared Mosquitto, with the state service as its own process
 *              (`main.js state-service`) under a random service name, so runs never mix
 * Everything started is closed by `close()`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startComponentServer } from '../../src/grpc/start-component-server.js';
import { startBroker, type Broker } from '../../src/broker/start-broker.js';
import { createLogger, createSilentLogger, type Logger } from '../../src/logging/logger.js';
import { MOSQUITTO_URL, randomId } from './component-fixture.js';
import { spawnMain, waitForLog, type MainProcess } from './main-process.js';
import { connectState, type StateConnection } from './state-harness.js';

/** `external`: a broker the test started (test/interop), at StateFixtureOptions.brokerUrl, with a state service process like `mosquitto`. */
export type StateBackend = 'bundled' | 'mosquitto' | 'external';

export interface StateFixtureOptions {
  /** MQTT protocol level of the instances (`protocolVersion` in Init) and of the state service process; default 4. */
  protocolVersion?: 4 | 5;
  /** `external` only: the broker's url. */
  brokerUrl?: string;
}

export interface StateFixture {
  readonly backend: StateBackend;
  readonly protocolVersion: 4 | 5;
  readonly socketPath: string;
  readonly brokerUrl: string;
  /** The state service name the instances use (`stateService` metadata). */
  readonly serviceName: string;
  /** A harness connection as one component instance (unique name by default). */
  connect(instance?: string): StateConnection;
  /** Like daprd: connect, Init (url + stateService, plus `properties`), then Features. */
  initInstance(properties?: Record<string, string>, instance?: string): Promise<StateConnection>;
  /** Bundled only: the broker. */
  bundledBroker(): Broker | undefined;
  /** Mosquitto only: the state service process. */
  serviceProcess(): MainProcess | undefined;
  /** Stops what serves state: the bundled broker (port and data kept), or the state service process. */
  stopBackend(): Promise<void>;
  /** Starts it again on the same port / service name and data. */
  restartBackend(): Promise<void>;
  close(): Promise<void>;
}

function testLogger(): Logger {
  const level = process.env.TEST_LOG_LEVEL;
  return level ? createLogger({ level, destination: pino.destination(2) }) : createSilentLogger();
}

/** Starts `main.js state-service` against `url` and waits until it is subscribed. */
export async function startStateServiceProcess(url: string, serviceName: string, dataDir: string, protocolVersion: 4 | 5 = 4): Promise<MainProcess> {
  const proc = spawnMain(['state-service'], {
    LOG_LEVEL: 'info',
    STATE_SERVICE_URL: url,
    STATE_SERVICE_NAME: serviceName,
    STATE_SERVICE_CLIENT_ID: `svc-${serviceName}`,
    STATE_SERVICE_DATA: dataDir,
    STATE_SERVICE_PROTOCOL_VERSION: String(protocolVersion),
  });
  try {
    await waitForLog(proc, 'state service attached to the broker');
  } catch (err) {
    await proc.kill9();
    throw err;
  }
  return proc;
}

export async function startStateFixture(backend: StateBackend, options: StateFixtureOptions = {}): Promise<StateFixture> {
  const logger = testLogger();
  const protocolVersion = options.protocolVersion ?? 4;
  const cleanups: Array<() => Promise<unknown>> = [];
  const close = async (): Promise<void> => {
    for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
  };
  try {
    const dataDir = await mkdtemp(join(tmpdir(), 'dmq-state-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    let broker: Broker | undefined;
    let service: MainProcess | undefined;
    let brokerUrl: string;
    let serviceName = 'default';
    let port = 0;
    if (backend === 'bundled') {
      broker = await startBroker({ port: 0, host: '127.0.0.1', dataDir, logger });
      port = broker.port;
      cleanups.push(async () => broker?.close());
      brokerUrl = `tcp://127.0.0.1:${broker.port}`;
    } else {
      brokerUrl = backend === 'external' ? (options.brokerUrl ?? '') : MOSQUITTO_URL;
      if (brokerUrl === '') throw new Error('startStateFixture: an external broker needs brokerUrl');
      serviceName = randomId('svc');
      service = await startStateServiceProcess(brokerUrl, serviceName, join(dataDir, 'state'), protocolVersion);
      cleanups.push(async () => service?.stop());
    }
    const socketFolder = await mkdtemp(join(tmpdir(), 'dmq-'));
    cleanups.push(() => rm(socketFolder, { recursive: true, force: true }));
    const server = await startComponentServer({ socketFolder, socketName: 'mqtt-test', logger });
    cleanups.push(() => server.close());
    const connections = new Set<StateConnection>();
    cleanups.push(async () => {
      for (const c of connections) c.close();
    });

    const fixture: StateFixture = {
      backend,
      protocolVersion,
      socketPath: server.socketPath,
      brokerUrl,
      serviceName,
      connect(instance) {
        const c = connectState(server.socketPath, instance ?? randomId('store'));
        connections.add(c);
        return c;
      },
      async initInstance(properties = {}, instance) {
        const c = fixture.connect(instance);
        await c.init({ url: brokerUrl, stateService: serviceName, ...(protocolVersion === 5 ? { protocolVersion: '5' } : {}), ...properties });
        await c.features();
        return c;
      },
      bundledBroker: () => broker,
      serviceProcess: () => service,
      async stopBackend() {
        await broker?.close();
        broker = undefined;
        await service?.stop();
        service = undefined;
      },
      async restartBackend() {
        await fixture.stopBackend();
        if (backend === 'bundled') broker = await startBroker({ port, host: '127.0.0.1', dataDir, logger });
        else service = await startStateServiceProcess(brokerUrl, serviceName, join(dataDir, 'state'), protocolVersion);
      },
      close,
    };
    return fixture;
  } catch (err) {
    await close();
    throw err;
  }
}
