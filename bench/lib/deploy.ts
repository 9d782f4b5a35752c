/**
 * The set-up under test, as deployed at scale: the bundled broker with its state service in its
 * own process (`main.js broker`), the component alone (`MQTT_BROKER=off main.js`), and the no-op
 * component (the ceiling), each a child process started and stopped here by pid.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PubSubDapr, StateDapr } from './dapr-client.js';
import { freePort, MAIN_JS, mqttAccepts, NOOP_JS, spawnNode, waitForMqtt, waitForSocket, type Child } from './processes.js';

export interface DeployOptions {
  readonly tmp: string;
  /** `node --cpu-prof` for these processes, profiles written into `profileDir`. */
  readonly profile: ReadonlySet<'component' | 'broker'>;
  readonly profileDir: string;
  /** The shared Mosquitto (mqtt://host:port); a component instance is pointed at it when it answers. */
  readonly mosquittoUrl: string;
}

/** Component instances the bench initializes (each an `x-component-instance`). */
export const INSTANCES = {
  /** pub/sub on the bundled broker, defaults (shared subscriptions, persistent sessions). */
  pubsub: 'bench',
  /** pub/sub on the bundled broker without `$share` (sharedSubscriptions=false). */
  pubsubNoShare: 'bench-noshare',
  /** pub/sub on the bundled broker with clean sessions (B2 without the broker's per-message session store). */
  pubsubClean: 'bench-clean',
  /** state store on the bundled broker's state service. */
  state: 'bench-state',
  /** pub/sub on the shared Mosquitto (B1 diagnostic), clean sessions so nothing stays behind there. */
  pubsubMosquitto: 'bench-mosquitto',
} as const;

export interface Deploy {
  readonly brokerUrl: string;
  readonly socketPath: string;
  readonly noopSocketPath: string;
  readonly component: Child;
  readonly broker: Child;
  readonly noop: Child;
  readonly pubsub: PubSubDapr;
  readonly pubsubNoShare: PubSubDapr;
  readonly pubsubClean: PubSubDapr;
  readonly state: StateDapr;
  /** Initialized only when a broker answers at `mosquittoUrl`. */
  readonly pubsubMosquitto: PubSubDapr | undefined;
  /** Stops everything by pid (SIGTERM, so profiles are written). */
  close(): Promise<void>;
}

function profileArgs(on: boolean, dir: string, name: string): string[] {
  return on ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : [];
}

/** Extra node flags for a process under test (e.g. `--import dist/bench/tools/nodelay-preload.js` to measure a proposal). */
function extraNodeArgs(variable: string): string[] {
  return (process.env[variable] ?? '').split(' ').filter((a) => a !== '');
}

export async function startDeploy(o: DeployOptions): Promise<Deploy> {
  const port = await freePort();
  const brokerUrl = `mqtt://127.0.0.1:${port}`;
  const socketFolder = join(o.tmp, 'sockets');
  await mkdir(socketFolder, { recursive: true });
  if (o.profile.size > 0) await mkdir(o.profileDir, { recursive: true });
  const started: Child[] = [];
  try {
    const broker = spawnNode(
      'broker',
      MAIN_JS,
      ['broker'],
      { MQTT_BROKER_PORT: String(port), MQTT_BROKER_HOST: '127.0.0.1', MQTT_BROKER_DATA: join(o.tmp, 'broker-data'), LOG_LEVEL: 'warn' },
      [...profileArgs(o.profile.has('broker'), o.profileDir, 'broker'), ...extraNodeArgs('BENCH_BROKER_NODE_ARGS')],
    );
    started.push(broker);
    const component = spawnNode(
      'component',
      MAIN_JS,
      [],
      { MQTT_BROKER: 'off', DAPR_COMPONENTS_SOCKETS_FOLDER: socketFolder, MQTT_SOCKET_NAME: 'bench', LOG_LEVEL: 'warn' },
      [...profileArgs(o.profile.has('component'), o.profileDir, 'component'), ...extraNodeArgs('BENCH_COMPONENT_NODE_ARGS')],
    );
    started.push(component);
    const noopSocketPath = join(socketFolder, 'noop.sock');
    const noop = spawnNode('noop-component', NOOP_JS, [noopSocketPath], {});
    started.push(noop);
    const socketPath = join(socketFolder, 'bench.sock');
    await waitForMqtt(broker, brokerUrl);
    await waitForSocket(component, socketPath);
    await waitForSocket(noop, noopSocketPath);

    const pubsub = new PubSubDapr(socketPath, INSTANCES.pubsub);
    await pubsub.init({ url: `tcp://127.0.0.1:${port}`, consumerID: 'bench' });
    const pubsubNoShare = new PubSubDapr(socketPath, INSTANCES.pubsubNoShare);
    await pubsubNoShare.init({ url: `tcp://127.0.0.1:${port}`, consumerID: 'bench-noshare', sharedSubscriptions: 'false' });
    const pubsubClean = new PubSubDapr(socketPath, INSTANCES.pubsubClean);
    await pubsubClean.init({ url: `tcp://127.0.0.1:${port}`, consumerID: 'bench-clean', cleanSession: 'true' });
    const state = new StateDapr(socketPath, INSTANCES.state);
    await state.init({ url: `tcp://127.0.0.1:${port}` });
    let pubsubMosquitto: PubSubDapr | undefined;
    if (await mqttAccepts(o.mosquittoUrl)) {
      pubsubMosquitto = new PubSubDapr(socketPath, INSTANCES.pubsubMosquitto);
      const { hostname, port: mport } = new URL(o.mosquittoUrl);
      await pubsubMosquitto.init({ url: `tcp://${hostname}:${mport || '1883'}`, consumerID: `bench-${process.pid}`, cleanSession: 'true' });
    }
    // The no-op answers Init at once; daprd would call it, so the generator's target is initialized too.
    const noopPubsub = new PubSubDapr(noopSocketPath, INSTANCES.pubsub);
    await noopPubsub.init({});
    noopPubsub.close();

    return {
      brokerUrl,
      socketPath,
      noopSocketPath,
      component,
      broker,
      noop,
      pubsub,
      pubsubNoShare,
      pubsubClean,
      state,
      pubsubMosquitto,
      async close() {
        pubsub.close();
        pubsubMosquitto?.close();
        pubsubNoShare.close();
        pubsubClean.close();
        state.close();
        // The component first (it uses the broker), then the rest.
        await component.stop();
        await Promise.all([noop.stop(), broker.stop()]);
      },
    };
  } catch (err) {
    await Promise.all(started.map((c) => c.stop(3_000)));
    throw err;
  }
}
