/**
 * What the resource-bound tests share: the bundled broker as its own process (with its state
 * service), a TCP proxy in front of it that can blackhole the component's links, the component as
 * its own process (so its memory is its own), a direct MQTT client to the broker, and the
 * component's memory from /proc. Every process is stopped by its pid.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { freePort, startBrokerProcess, type BrokerProcess } from '../helpers/broker-process.js';
import { startComponentProcess, type ComponentProcess } from '../helpers/component-process.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { processMemory, type ProcessMemory } from '../helpers/process-memory.js';

/** Peak RSS the component may reach under any abuse here: generous, far below what unbounded buffering would take. */
export const RSS_BOUND_MIB = 400;

export interface BoundsBench {
  readonly broker: BrokerProcess;
  readonly proxy: TcpProxy;
  readonly component: ComponentProcess;
  /** The broker through the proxy (what the component is given). */
  readonly url: string;
  /** An MQTT client straight to the broker (not through the proxy). */
  directClient(): Promise<MqttClient>;
  memory(): ProcessMemory;
  close(): Promise<void>;
}

export async function startBoundsBench(componentEnv: Record<string, string> = {}): Promise<BoundsBench> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bounds-'));
  const clients: MqttClient[] = [];
  let broker: BrokerProcess | undefined;
  let proxy: TcpProxy | undefined;
  let component: ComponentProcess | undefined;
  const close = async (): Promise<void> => {
    await Promise.allSettled(clients.map((c) => c.endAsync(true)));
    await component?.cleanup();
    await proxy?.close();
    await broker?.kill9();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    broker = await startBrokerProcess({ port: await freePort(), dataDir: path.join(dir, 'broker') });
    proxy = await startTcpProxy({ targetPort: broker.port });
    component = await startComponentProcess({ env: { LOG_LEVEL: 'warn', ...componentEnv } });
  } catch (err) {
    await close();
    throw err;
  }
  const b = broker;
  const c = component;
  return {
    broker: b,
    proxy,
    component: c,
    url: proxy.url,
    async directClient() {
      const client = await connectAsync({ host: '127.0.0.1', port: b.port, reconnectPeriod: 0, clean: true, connectTimeout: 5000 });
      clients.push(client);
      return client;
    },
    memory: () => processMemory(c.pid),
    close,
  };
}

/** Publishes `count` QoS 1 messages with at most `window` awaiting the broker's PUBACK (its in-flight limit is 1024). */
export async function publishMany(
  client: MqttClient,
  topic: string | ((i: number) => string),
  count: number,
  payload: (i: number) => Buffer,
  window = 256,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      await client.publishAsync(typeof topic === 'string' ? topic : topic(i), payload(i), { qos: 1 });
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, count) }, worker));
}

/** A payload of `bytes` whose first 4 bytes carry `i` (so the receiver can check none is lost). */
export function numbered(i: number, bytes: number): Buffer {
  const p = Buffer.alloc(bytes, 'x');
  p.writeUInt32BE(i, 0);
  return p;
}
