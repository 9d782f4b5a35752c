/**
 * Private nats-server processes with JetStream and the MQTT gateway on free loopback ports
 * (never the machine's NATS on 4222): one node, or one node of a cluster (nats-cluster.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { freePort } from './mosquitto-process.js';
import { requireBinary, spawnServer, type SpawnedServer } from './spawned-server.js';

export const NATS_BIN = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

export interface NatsNodeOptions {
  readonly serverName?: string;
  /** Cluster membership: this node's route port and every node's route port. */
  readonly cluster?: { readonly name: string; readonly routePort: number; readonly routePorts: readonly number[] };
  /** `mqtt { stream_replicas }` (JetStream replicas of the MQTT streams); default: nats-server's. */
  readonly streamReplicas?: number;
  /** Fixed ports (a restarted node keeps its own); default free ones. */
  readonly clientPort?: number;
  readonly mqttPort?: number;
  readonly monitorPort?: number;
  /** Keep data here (a restarted node keeps its store); default a new temp folder. */
  readonly dir?: string;
  readonly readyTimeoutMs?: number;
}

export interface NatsNode {
  readonly name: string;
  readonly clientPort: number;
  readonly mqttPort: number;
  /** `tcp://127.0.0.1:<mqttPort>`. */
  readonly mqttUrl: string;
  /** HTTP monitoring port (`/connz`). */
  readonly monitorPort: number;
  /** MQTT client ids connected to this node now (from `/connz`). */
  mqttClients(): Promise<string[]>;
  readonly dir: string;
  readonly server: SpawnedServer;
  /** SIGKILL, now. */
  kill(): Promise<void>;
  /** Stops it; removes its folder unless `keepData`. */
  close(keepData?: boolean): Promise<void>;
}

export function natsConfig(name: string, clientPort: number, mqttPort: number, monitorPort: number, dir: string, options: NatsNodeOptions): string {
  const lines = [
    `server_name: ${name}`,
    `listen: 127.0.0.1:${clientPort}`,
    `http: 127.0.0.1:${monitorPort}`,
    `jetstream { store_dir: "${path.join(dir, 'jetstream')}" }`,
    `mqtt { listen: 127.0.0.1:${mqttPort}${options.streamReplicas === undefined ? '' : `, stream_replicas: ${options.streamReplicas}`} }`,
  ];
  if (options.cluster) {
    const routes = options.cluster.routePorts.map((p) => `nats-route://127.0.0.1:${p}`).join(', ');
    lines.push(`cluster { name: ${options.cluster.name}, listen: 127.0.0.1:${options.cluster.routePort}, routes: [${routes}] }`);
  }
  return `${lines.join('\n')}\n`;
}

/** Starts one node and waits until its ports listen (not until JetStream is ready: see waitForMqtt). */
export async function startNatsNode(options: NatsNodeOptions = {}): Promise<NatsNode> {
  const bin = requireBinary(NATS_BIN, 'install nats-server (apt-get install -y nats-server)');
  const dir = options.dir ?? (await mkdtemp(path.join(tmpdir(), 'nats-')));
  const name = options.serverName ?? `n-${path.basename(dir)}`;
  const clientPort = options.clientPort ?? (await freePort());
  const mqttPort = options.mqttPort ?? (await freePort());
  const monitorPort = options.monitorPort ?? (await freePort());
  const conf = path.join(dir, 'nats.conf');
  await writeFile(conf, natsConfig(name, clientPort, mqttPort, monitorPort, dir, options));
  const ports = [clientPort, mqttPort, ...(options.cluster ? [options.cluster.routePort] : [])];
  const server = await spawnServer(bin, ['-c', conf], { ports, readyTimeoutMs: options.readyTimeoutMs ?? 15_000, name: `nats-server ${name}` });
  return {
    name,
    clientPort,
    mqttPort,
    mqttUrl: `tcp://127.0.0.1:${mqttPort}`,
    monitorPort,
    async mqttClients() {
      const res = await fetch(`http://127.0.0.1:${monitorPort}/connz?limit=1024`);
      const body = (await res.json()) as { connections?: Array<{ mqtt_client?: string }> };
      return (body.connections ?? []).map((c) => c.mqtt_client).filter((id): id is string => id !== undefined && id !== '');
    },
    dir,
    server,
    kill: () => server.kill(),
    async close(keepData = false) {
      await server.close();
      if (!keepData) await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until the MQTT gateway takes a connection and a QoS 1 subscription (NATS's MQTT needs
 * JetStream, which in a cluster needs a meta leader), bounded by `timeoutMs`.
 */
export async function waitForMqtt(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 3_000, clientId: `ready-${Math.random().toString(16).slice(2, 10)}` });
      const done = (result: boolean, why?: string): void => {
        if (why) last = why;
        client.end(true);
        resolve(result);
      };
      const timer = setTimeout(() => done(false, 'no CONNACK/SUBACK in 5 s'), 5_000);
      client.once('connect', () =>
        client.subscribe('ready/check', { qos: 1 }, (err, granted) => {
          clearTimeout(timer);
          const g = granted?.[0]?.qos;
          done(!err && g !== undefined && g < 0x80, err ? err.message : `granted ${g}`);
        }),
      );
      client.once('error', (err) => {
        clearTimeout(timer);
        done(false, err.message);
      });
      client.once('close', () => {
        clearTimeout(timer);
        done(false, last || 'connection closed');
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the MQTT gateway at ${url} was not ready within ${timeoutMs} ms: ${last}`);
}

/** One NATS node with JetStream and MQTT, ready for MQTT clients. */
export async function startNats(options: NatsNodeOptions = {}): Promise<NatsNode> {
  const node = await startNatsNode({ serverName: 'interop-nats', ...options });
  try {
    await waitForMqtt(node.mqttUrl);
  } catch (err) {
    await node.close();
    throw err;
  }
  return node;
}
