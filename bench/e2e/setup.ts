/**
 * The end-to-end set-up, every process started here and stopped by its pid:
 * - a private Mosquitto on a free loopback port (`max_queued_messages` high, `set_tcp_nodelay`,
 *   no persistence): the one broker both pub/sub sides use;
 * - the bundled broker with its state service (`main.js broker`), where our state store lives;
 * - our component (`MQTT_BROKER=off main.js`) on a Unix socket;
 * - two daprd of the same binary: side "ours" loads `pubsub.bench` + `state.bench` (our
 *   component), side "builtin" loads `pubsub.mqtt3` (same Mosquitto) + `state.redis` (the
 *   machine's Redis, keys under a random app id, deleted at the end). Both name them `pubsub`
 *   and `statestore`, so requests differ only in the port;
 * - the subscriber app (bench/e2e/app.ts), one HTTP listener per daprd.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { forkNode, freePort, MAIN_JS, pollUntil, spawnExe, spawnNode, waitForMqtt, waitForSocket, type Child } from '../lib/processes.js';
import type { AppStats, Subscription, ToApp } from './app.js';

const APP_JS = fileURLToPath(new URL('./app.js', import.meta.url));

export const SIDES = ['ours', 'builtin'] as const;
export type SideName = (typeof SIDES)[number];

/** Topics every side subscribes to: E2 uses 1 or 8 of the `deliver` ones, E3 `latency`. */
export const DELIVER_TOPICS = Array.from({ length: 8 }, (_, i) => `e2-deliver-${i}`);
export const LATENCY_TOPIC = 'e3-latency';
/** E1 publishes here; nobody subscribes through daprd (arrivals are counted by a plain MQTT subscriber). */
export const PUBLISH_TOPIC = 'e1-publish';

export interface DaprSide {
  readonly name: SideName;
  readonly index: number;
  readonly daprd: Child;
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly appId: string;
}

export interface E2eSetup {
  readonly mosquittoUrl: string;
  readonly mosquitto: Child;
  readonly broker: Child;
  readonly component: Child;
  readonly app: Child;
  readonly sides: Record<SideName, DaprSide>;
  appStats(reset: boolean): Promise<AppStats>;
  close(): Promise<void>;
}

export interface SetupOptions {
  readonly tmp: string;
  readonly daprd: string;
  readonly redisUrl: string;
  /** Extra node flags for our component and the bundled broker (e.g. --cpu-prof ...). */
  readonly componentNodeArgs: readonly string[];
  readonly brokerNodeArgs: readonly string[];
  readonly log: (line: string) => void;
}

/** daprd: BENCH_DAPRD, else the newest `daprd-<version>/daprd` in the build cache (scripts/install-dapr.sh). */
export function findDaprd(): string {
  if (process.env.BENCH_DAPRD) return process.env.BENCH_DAPRD;
  const cache = process.env.DAPR_BUILD_CACHE ?? join(process.env.HOME ?? '/root', '.cache', 'dapr-mqtt-pluggable');
  const dirs = existsSync(cache) ? readdirSync(cache).filter((d) => d.startsWith('daprd-') && existsSync(join(cache, d, 'daprd'))) : [];
  dirs.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const last = dirs.at(-1);
  if (!last) throw new Error(`bench:e2e: no daprd at ${cache}/daprd-<version>/daprd: run scripts/install-dapr.sh (or set BENCH_DAPRD)`);
  return join(cache, last, 'daprd');
}

function which(cmd: string): string {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin'])) {
    if (dir !== '' && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  throw new Error(`bench:e2e: ${cmd} is not installed (Debian package ${cmd}): apt-get install -y ${cmd}`);
}

function componentYaml(name: string, type: string, metadata: Record<string, string>): string {
  const items = Object.entries(metadata)
    .map(([k, v]) => `    - name: ${k}\n      value: "${v}"`)
    .join('\n');
  return `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: ${type}\n  version: v1\n  initTimeout: 10s\n  metadata:\n${items}\n`;
}

async function httpOk(url: string): Promise<boolean> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return r.status >= 200 && r.status < 300;
  } catch {
    return false;
  }
}

/** Deletes every Redis key under `prefix` (SCAN + DEL, bounded). */
async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  const client = createClient({ url: redisUrl });
  await client.connect();
  let deleted = 0;
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      const list = (Array.isArray(keys) ? keys : [keys]) as string[];
      if (list.length > 0) deleted += await client.del(list);
    }
  } finally {
    await client.quit();
  }
  return deleted;
}

export async function startE2e(o: SetupOptions): Promise<E2eSetup> {
  const started: Child[] = [];
  const stopAll = async (): Promise<void> => {
    for (const c of [...started].reverse()) await c.stop(5_000);
  };
  const redisPrefixes: string[] = [];
  try {
    // Mosquitto, private.
    const mosqPort = await freePort();
    const mosqConf = join(o.tmp, 'mosquitto.conf');
    await writeFile(
      mosqConf,
      [
        `listener ${mosqPort} 127.0.0.1`,
        'allow_anonymous true',
        'persistence false',
        'max_queued_messages 1000000',
        'max_queued_bytes 0',
        'set_tcp_nodelay true',
        'log_dest stderr',
        'log_type error',
        '',
      ].join('\n'),
    );
    const mosquitto = spawnExe('mosquitto', which('mosquitto'), ['-c', mosqConf]);
    started.push(mosquitto);
    const mosquittoUrl = `mqtt://127.0.0.1:${mosqPort}`;
    await waitForMqtt(mosquitto, mosquittoUrl);

    // The bundled broker with the state service (our state store's back end).
    const brokerPort = await freePort();
    const broker = spawnNode(
      'broker',
      MAIN_JS,
      ['broker'],
      { MQTT_BROKER_PORT: String(brokerPort), MQTT_BROKER_HOST: '127.0.0.1', MQTT_BROKER_DATA: join(o.tmp, 'broker-data'), LOG_LEVEL: 'warn' },
      o.brokerNodeArgs,
    );
    started.push(broker);
    await waitForMqtt(broker, `mqtt://127.0.0.1:${brokerPort}`);

    // Our component.
    const socketDir = join(o.tmp, 'sockets');
    const emptySocketDir = join(o.tmp, 'no-sockets');
    await mkdir(socketDir, { recursive: true });
    await mkdir(emptySocketDir, { recursive: true });
    const component = spawnNode('component', MAIN_JS, [], { MQTT_BROKER: 'off', DAPR_COMPONENTS_SOCKETS_FOLDER: socketDir, MQTT_SOCKET_NAME: 'bench', LOG_LEVEL: 'warn' }, o.componentNodeArgs);
    started.push(component);
    await waitForSocket(component, join(socketDir, 'bench.sock'));

    // The app.
    const app = forkNode('e2e-app', APP_JS);
    started.push(app);
    const fromApp: Array<{ type: string; [k: string]: unknown }> = [];
    app.child.on('message', (m: { type: string }) => fromApp.push(m));
    const subscriptions: Subscription[] = [...DELIVER_TOPICS, LATENCY_TOPIC].map((topic) => ({ pubsubname: 'pubsub', topic, route: `/${topic}` }));
    app.child.send({ type: 'listen', sides: SIDES.length, subscriptions } satisfies ToApp);
    await pollUntil(() => fromApp.some((m) => m.type === 'ports'), 'the e2e app to listen', 10_000, () => (app.hasExited() ? app.stderr().slice(-1000) : undefined));
    const appPorts = (fromApp.find((m) => m.type === 'ports') as unknown as { ports: number[] }).ports;

    // Two daprd, one per side.
    const run = randomBytes(4).toString('hex');
    const sides = {} as Record<SideName, DaprSide>;
    for (const [index, name] of SIDES.entries()) {
      const dir = join(o.tmp, `resources-${name}`);
      await mkdir(dir, { recursive: true });
      const appId = `e2ebench-${name}-${run}`;
      if (name === 'ours') {
        await writeFile(join(dir, 'pubsub.yaml'), componentYaml('pubsub', 'pubsub.bench', { url: `tcp://127.0.0.1:${mosqPort}`, qos: '1', cleanSession: 'false' }));
        await writeFile(join(dir, 'statestore.yaml'), componentYaml('statestore', 'state.bench', { url: `tcp://127.0.0.1:${brokerPort}` }));
      } else {
        const redis = new URL(o.redisUrl);
        await writeFile(join(dir, 'pubsub.yaml'), componentYaml('pubsub', 'pubsub.mqtt3', { url: `tcp://127.0.0.1:${mosqPort}`, qos: '1', cleanSession: 'false' }));
        await writeFile(join(dir, 'statestore.yaml'), componentYaml('statestore', 'state.redis', { redisHost: `${redis.hostname}:${redis.port || '6379'}`, redisPassword: '' }));
        redisPrefixes.push(`${appId}||`);
      }
      const [httpPort, grpcPort, internalPort] = [await freePort(), await freePort(), await freePort()];
      const daprd = spawnExe(`daprd-${name}`, o.daprd, [
        '--app-id', appId,
        '--app-port', String(appPorts[index]),
        '--app-protocol', 'http',
        '--app-channel-address', '127.0.0.1',
        '--dapr-listen-addresses', '127.0.0.1',
        '--dapr-http-port', String(httpPort),
        '--dapr-grpc-port', String(grpcPort),
        '--dapr-internal-grpc-port', String(internalPort),
        '--resources-path', dir,
        '--enable-metrics=false',
        '--log-level', 'warn',
      ], { DAPR_COMPONENTS_SOCKETS_FOLDER: name === 'ours' ? socketDir : emptySocketDir });
      started.push(daprd);
      await pollUntil(() => httpOk(`http://127.0.0.1:${httpPort}/v1.0/healthz`), `daprd (${name}) to be healthy`, 30_000, () =>
        daprd.hasExited() ? `daprd exited: ${daprd.stderr().slice(-1500)}${daprd.stdout().slice(-1500)}` : undefined,
      );
      sides[name] = { name, index, daprd, httpPort, grpcPort, appId };
    }

    const appStats = async (reset: boolean): Promise<AppStats> => {
      const before = fromApp.length;
      app.child.send({ type: 'stats', reset } satisfies ToApp);
      await pollUntil(() => fromApp.slice(before).some((m) => m.type === 'stats'), 'the e2e app to report', 10_000);
      const i = fromApp.findIndex((m, k) => k >= before && m.type === 'stats');
      const [m] = fromApp.splice(i, 1);
      return m as unknown as AppStats;
    };

    // Subscriptions are live once one message published through each daprd reached the app on every topic.
    for (const side of Object.values(sides)) {
      for (const topic of [...DELIVER_TOPICS, LATENCY_TOPIC]) {
        const r = await fetch(`http://127.0.0.1:${side.httpPort}/v1.0/publish/pubsub/${topic}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"probe":true}' });
        if (r.status !== 204) throw new Error(`bench:e2e: probe publish through daprd (${side.name}) answered ${r.status}: ${await r.text()}`);
      }
      const routes = [...DELIVER_TOPICS, LATENCY_TOPIC].map((t) => `${side.index}:/${t}`);
      await pollUntil(async () => {
        const s = await appStats(false);
        return routes.every((k) => (s.counts[k] ?? 0) >= 1);
      }, `subscriptions through daprd (${side.name}) to deliver`, 30_000);
    }
    await appStats(true);
    o.log(`set-up: mosquitto :${mosqPort}, bundled broker :${brokerPort}, daprd ours :${sides.ours.httpPort}/${sides.ours.grpcPort}, builtin :${sides.builtin.httpPort}/${sides.builtin.grpcPort}`);

    return {
      mosquittoUrl,
      mosquitto,
      broker,
      component,
      app,
      sides,
      appStats,
      async close() {
        await stopAll();
        for (const p of redisPrefixes) {
          const n = await deleteRedisKeys(o.redisUrl, p).catch(() => -1);
          o.log(`redis: deleted ${n} keys under ${p}`);
        }
      },
    };
  } catch (err) {
    await stopAll();
    for (const p of redisPrefixes) await deleteRedisKeys(o.redisUrl, p).catch(() => undefined);
    throw err;
  }
}
