/**
 * One end-to-end set-up around the real daprd: the component started as `npm start` starts it
 * (`node dist/src/main.js`, bundled broker with its state service on a free loopback port, data
 * in a temp folder), a resources folder of YAMLs, and any number of daprd in front of it.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { freePort } from './broker-process.js';
import { startComponentProcess, type ComponentProcess } from './component-process.js';
import { startDaprd, type DaprdOptions, type DaprdProcess } from './daprd-process.js';

/** The socket name the component serves: types are `pubsub.<name>` and `state.<name>`. */
export const SOCKET_NAME = 'mqtt-pluggable';

export interface YamlDoc {
  apiVersion?: string;
  kind: string;
  metadata: { name: string; [key: string]: unknown };
  spec: unknown;
  scopes?: string[];
}

export interface ComponentOptions {
  /** Bundled broker (default) or `off` with `brokerUrl` pointing at another broker. */
  broker?: 'embedded' | 'off';
  brokerPort?: number;
  env?: Record<string, string>;
}

export interface DaprStack {
  readonly dir: string;
  readonly socketFolder: string;
  /** tcp://127.0.0.1:<port> of the bundled broker. */
  readonly brokerUrl: string;
  readonly brokerPort: number;
  component: ComponentProcess;
  /** Writes `docs` as `<file>.yaml` into a new resources folder and returns its path. */
  resources(name: string, docs: YamlDoc[]): Promise<string>;
  /**
   * Starts daprd on the stack's component, or on `sidecar` (see {@link DaprStack.sidecar}).
   * Two daprd must not share one component process when their Components have the same names:
   * the component keeps one instance per Component name, and the second Init replaces the first.
   */
  daprd(options: Omit<DaprdOptions, 'socketFolder'>, sidecar?: ComponentProcess): Promise<DaprdProcess>;
  /** Another component process (bundled broker off) for one more daprd: its own socket folder (or `socketFolder`). */
  sidecar(socketFolder?: string, env?: Record<string, string>): Promise<ComponentProcess>;
  /** Stops the component (SIGTERM) and starts it again on the same socket, broker port and data. */
  restartComponent(): Promise<void>;
  /** Everything the component logged so far. */
  componentLogs(): string;
  close(): Promise<void>;
}

/** A pub/sub Component of ours. */
export function pubsubComponent(name: string, brokerUrl: string, metadata: Record<string, string> = {}): YamlDoc {
  return component(name, `pubsub.${SOCKET_NAME}`, { url: brokerUrl, ...metadata });
}

/** A state store Component of ours. */
export function stateComponent(name: string, brokerUrl: string, metadata: Record<string, string> = {}): YamlDoc {
  return component(name, `state.${SOCKET_NAME}`, { url: brokerUrl, ...metadata });
}

export function component(name: string, type: string, metadata: Record<string, string | { secretKeyRef: { name: string; key: string } }>, extraSpec: Record<string, unknown> = {}): YamlDoc {
  return {
    apiVersion: 'dapr.io/v1alpha1',
    kind: 'Component',
    metadata: { name },
    spec: {
      type,
      version: 'v1',
      ...extraSpec,
      metadata: Object.entries(metadata).map(([key, value]) => (typeof value === 'string' ? { name: key, value } : { name: key, ...value })),
    },
  };
}

export async function startDaprStack(options: ComponentOptions = {}): Promise<DaprStack> {
  // A short base: Unix socket paths must stay under ~100 bytes.
  const dir = await mkdtemp(path.join(tmpdir(), 'e2e-'));
  const socketFolder = path.join(dir, 'sock');
  const dataDir = path.join(dir, 'data');
  await mkdir(socketFolder);
  await mkdir(dataDir, { mode: 0o700 });
  const brokerPort = options.brokerPort ?? (await freePort());
  const componentEnv: Record<string, string> = {
    MQTT_BROKER: options.broker ?? 'embedded',
    MQTT_BROKER_PORT: String(brokerPort),
    MQTT_BROKER_DATA: path.join(dataDir, 'broker'),
    STATE_SERVICE_DATA: path.join(dataDir, 'state'),
    ...options.env,
  };
  const start = (): Promise<ComponentProcess> => startComponentProcess({ socketFolder, socketName: SOCKET_NAME, env: componentEnv, readyTimeoutMs: 30_000 });
  let previousLogs = '';
  const sidecars: ComponentProcess[] = [];
  const stack: DaprStack = {
    dir,
    socketFolder,
    brokerUrl: `tcp://127.0.0.1:${brokerPort}`,
    brokerPort,
    component: await start(),
    async resources(name, docs) {
      const folder = path.join(dir, `res-${name}`);
      await mkdir(folder, { recursive: true });
      await Promise.all(docs.map((doc, i) => writeFile(path.join(folder, `${i}-${doc.kind.toLowerCase()}-${doc.metadata.name}.yaml`), stringify(doc))));
      return folder;
    },
    daprd: (daprdOptions, sidecar) => startDaprd({ ...daprdOptions, socketFolder: sidecar?.socketFolder ?? socketFolder }),
    async sidecar(socketFolder, env) {
      const folder = socketFolder ?? (await mkdtemp(path.join(dir, 'sc-')));
      const proc = await startComponentProcess({ socketFolder: folder, socketName: SOCKET_NAME, env: { MQTT_BROKER: 'off', ...options.env, ...env }, readyTimeoutMs: 30_000 });
      sidecars.push(proc);
      return proc;
    },
    async restartComponent() {
      await stack.component.stop();
      previousLogs += stack.component.stdout + stack.component.stderr;
      stack.component = await start();
    },
    componentLogs: () => previousLogs + [stack.component, ...sidecars].map((c) => c.stdout + c.stderr).join(''),
    async close() {
      await Promise.all(sidecars.map((c) => c.stop().catch(() => c.kill())));
      await stack.component.stop().catch(() => stack.component.kill());
      await rm(dir, { recursive: true, force: true });
    },
  };
  return stack;
}
