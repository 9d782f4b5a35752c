/**
 * The bundled broker as its own process (`node dist/src/main.js broker`), for tests that need
 * a real crash (kill -9) or the real exit path. Every child is killed by its pid only.
 */
import { createServer, type AddressInfo } from 'node:net';
import { connectAsync } from 'mqtt';
import { killAllMainProcesses, spawnMain, type ExitInfo, type MainProcess } from './main-process.js';

export { MAIN_JS, type ExitInfo } from './main-process.js';

export interface BrokerProcessOptions {
  /** MQTT_BROKER_PORT; pick one with {@link freePort}. */
  port: number;
  /** MQTT_BROKER_DATA. */
  dataDir: string;
  /** MQTT_BROKER_HOST. Default: 127.0.0.1. */
  host?: string;
  /** Extra environment (LOG_LEVEL defaults to warn to keep stdout small). */
  env?: Record<string, string>;
}

export interface BrokerProcess extends MainProcess {
  readonly port: number;
  readonly host: string;
}

/** A port that was free a moment ago: bound on port 0, then released. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host }, resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Spawns `main.js broker`; it is not yet accepting connections (see {@link startBrokerProcess}). */
export function spawnBrokerProcess(options: BrokerProcessOptions): BrokerProcess {
  const host = options.host ?? '127.0.0.1';
  const proc = spawnMain(['broker'], {
    LOG_LEVEL: 'warn',
    ...options.env,
    MQTT_BROKER_PORT: String(options.port),
    MQTT_BROKER_HOST: host,
    MQTT_BROKER_DATA: options.dataDir,
  });
  return { ...proc, port: options.port, host };
}

/** True once an MQTT CONNECT is answered with CONNACK. */
async function tryMqttConnect(port: number, host: string): Promise<boolean> {
  try {
    const client = await connectAsync({ host, port, reconnectPeriod: 0, connectTimeout: 2_000, clean: true });
    await client.endAsync();
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves once the broker answers an MQTT CONNECT; rejects (with its stderr) if it exits
 * first or if `timeoutMs` passes. A bare TCP connect is not enough: the kernel accepts as soon
 * as the socket listens, before main.js has finished starting and installed its SIGTERM handler,
 * whereas a CONNACK is only sent after that.
 */
export async function waitUntilAccepting(broker: BrokerProcess, timeoutMs = 10_000): Promise<void> {
  let exited: ExitInfo | undefined;
  void broker.exited.then((info) => (exited = info));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      throw new Error(`broker process exited (${JSON.stringify(exited)}) before accepting connections: ${broker.stderr().trim()}`);
    }
    if (await tryMqttConnect(broker.port, broker.host)) return;
    if (Date.now() >= deadline) {
      throw new Error(`broker process ${broker.pid} not accepting on ${broker.host}:${broker.port} after ${timeoutMs} ms: ${broker.stderr().trim()}`);
    }
    // Retry interval of the probe, not a synchronization point: the loop ends on a condition.
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Spawns `main.js broker` and waits until it accepts connections. */
export async function startBrokerProcess(options: BrokerProcessOptions, timeoutMs?: number): Promise<BrokerProcess> {
  const broker = spawnBrokerProcess(options);
  try {
    await waitUntilAccepting(broker, timeoutMs);
  } catch (err) {
    await broker.kill9();
    throw err;
  }
  return broker;
}

/** SIGKILLs, by pid, every process spawned here that is still running (for `after` hooks). */
export const killAllBrokerProcesses = killAllMainProcesses;
