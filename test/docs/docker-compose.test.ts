import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { DEFAULT_SOCKET_FOLDER, DEFAULT_SOCKET_NAME, parseEnv } from '../../src/config/env.js';
import {
  APP,
  APP_IDS,
  COMPONENT_IMAGE,
  EXAMPLES_IMAGE,
  assertEnvReadByMain,
  checkComponent,
  envRecord,
  flag,
  imageRepo,
  isReadByMain,
  read,
  readYaml,
  root,
  urlOf,
  type ComponentDoc,
} from './deploy-checks.js';

// No Docker engine on our machines: the Dockerfiles and the compose file are checked statically
// against the code.

interface Service {
  build?: string | { context?: string; dockerfile?: string };
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: { test?: string[] };
  network_mode?: string;
}
const compose = readYaml<{ services: Record<string, Service>; volumes: Record<string, unknown> }>('docker-compose.yml');
const services = Object.entries(compose.services);
const isDaprd = (s: Service): boolean => (s.image ?? '').startsWith('daprio/daprd:');
const daprds = services.filter(([, s]) => isDaprd(s));
const components = services.filter(([, s]) => imageRepo(s.image) === COMPONENT_IMAGE && s.command === undefined);
const broker = compose.services.broker;

/** The named volume a service mounts at `path`, if any. */
const volumeAt = (s: Service, path: string): string | undefined =>
  s.volumes?.find((v) => v.split(':')[1] === path)?.split(':')[0];
const dependsOn = (s: Service, name: string): { condition?: string } | undefined => {
  const d = s.depends_on;
  if (Array.isArray(d)) return d.includes(name) ? {} : undefined;
  return d?.[name];
};

test('Dockerfile: multi-stage, non-root, the entry point is the built main.ts, ENV names are read by main.ts', () => {
  const dockerfile = read('Dockerfile');
  assert.ok((dockerfile.match(/^FROM /gm) ?? []).length >= 2, 'a build stage and a runtime stage');
  const users = [...dockerfile.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
  assert.equal(users.at(-1), 'node', 'the runtime stage runs as node');
  assert.match(dockerfile, /^ENTRYPOINT \["node", "dist\/src\/main\.js"\]$/m);
  assert.ok(existsSync(new URL('src/main.ts', root)));
  // main.ts's modes are the ones the header documents.
  const main = read('src/main.ts');
  for (const mode of ['broker', 'state-service']) {
    assert.ok(main.includes(`'${mode}'`), `main.ts has mode ${mode}`);
    assert.match(dockerfile, new RegExp(`^#\\s+${mode}\\s`, 'm'), `Dockerfile documents mode ${mode}`);
  }
  // ENV lines (continuations included): every name is one main.ts reads.
  const envBlock = [...dockerfile.matchAll(/^ENV ((?:.*\\\n)*.*)$/gm)].map((m) => m[1] ?? '').join(' ');
  const names = [...envBlock.matchAll(/([A-Z_][A-Z0-9_]*)=/g)].map((m) => m[1] ?? '').filter((n) => n !== 'NODE_ENV');
  assert.ok(names.includes('MQTT_BROKER_DATA'), 'data directory set to the writable /data');
  for (const n of names) assert.ok(isReadByMain(n), `Dockerfile ENV ${n} is read by main.ts`);
  // What the runtime stage writes exists and belongs to node.
  assert.match(dockerfile, /chown node:node \/data \/tmp\/dapr-components-sockets/);
  assert.match(dockerfile, /^COPY proto \.\/proto$/m, 'proto/ is loaded at runtime');
});

test('.dockerignore keeps dependencies, builds, data and tests out of the build context', () => {
  const ignored = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  for (const p of ['**/node_modules', 'dist', 'data', 'test']) assert.ok(ignored.includes(p), `.dockerignore has ${p}`);
  // Nothing either Dockerfile copies is ignored.
  for (const p of ['src', 'proto', 'examples', 'package.json', 'package-lock.json', 'tsconfig.json']) {
    assert.ok(!ignored.includes(p), `${p} stays in the context`);
  }
});

test('examples/Dockerfile builds the apps the compose file runs', () => {
  const dockerfile = read('examples/Dockerfile');
  assert.match(dockerfile, /npx tsc -p examples\/tsconfig\.json/);
  assert.match(dockerfile, /^USER node$/m);
  for (const [name, s] of services.filter(([, s]) => imageRepo(s.image) === EXAMPLES_IMAGE)) {
    const main = s.command?.find((a) => a.startsWith('dist/examples/'));
    assert.ok(main, `${name} runs a built example`);
    const source = main.replace(/^dist\//, '').replace(/\.js$/, '.ts');
    assert.ok(existsSync(new URL(source, root)), `${name}: ${source} exists`);
  }
});

test('every service on one of our images can build it (none pulls a local-only tag)', () => {
  for (const [name, s] of services) {
    const repo = imageRepo(s.image);
    if (repo !== COMPONENT_IMAGE && repo !== EXAMPLES_IMAGE) continue;
    assert.ok(s.build, `${name} has a build section`);
    const dockerfile = typeof s.build === 'string' ? 'Dockerfile' : s.build.dockerfile ?? 'Dockerfile';
    assert.equal(dockerfile, repo === COMPONENT_IMAGE ? 'Dockerfile' : 'examples/Dockerfile', `${name} builds with the matching Dockerfile`);
  }
});

test('broker service: the broker entry point on 0.0.0.0, data on a named volume, a healthcheck', () => {
  assert.ok(broker, 'service broker');
  assert.deepEqual(broker.command, ['broker']);
  const env = parseEnv(broker.environment ?? {});
  assert.equal(env.brokerHost, '0.0.0.0', 'the broker listens beyond the container loopback');
  assert.equal(env.stateService, 'embedded', 'the state service runs in the broker');
  const data = volumeAt(broker, env.brokerDataDir);
  assert.ok(data && data in compose.volumes, `a named volume at ${env.brokerDataDir}`);
  assert.ok(broker.healthcheck?.test?.join(' ').includes(String(env.brokerPort)), 'healthcheck tries the MQTT port');
});

test('env names in the compose file are ones main.ts reads, with values it accepts', () => {
  for (const [name, s] of services) {
    if (imageRepo(s.image) !== COMPONENT_IMAGE) continue;
    assertEnvReadByMain(envRecord(s.environment), name);
  }
});

test('each daprd has its own component container, sharing a socket volume, started first and healthy', () => {
  assert.deepEqual(daprds.map(([, s]) => flag(s.command ?? [], 'app-id')).sort(), [...APP_IDS].sort(), 'one daprd per example app');
  const usedVolumes = new Set<string>();
  for (const [name, d] of daprds) {
    const folder = d.environment?.DAPR_COMPONENTS_SOCKETS_FOLDER ?? DEFAULT_SOCKET_FOLDER;
    const volume = volumeAt(d, folder);
    assert.ok(volume && volume in compose.volumes, `${name}: a named volume at ${folder}`);
    assert.ok(!usedVolumes.has(volume), `${name}: ${volume} is not shared with another daprd (both load Components named pubsub and statestore, which one component process would serve as one instance)`);
    usedVolumes.add(volume);
    const peers = components.filter(([, c]) => volumeAt(c, parseEnv(c.environment ?? {}).socketFolder) === volume);
    assert.equal(peers.length, 1, `${name}: exactly one component container serves ${volume}`);
    const [componentName, component] = peers[0]!;
    const env = parseEnv(component.environment ?? {});
    assert.equal(env.socketFolder, folder, `${componentName}: same socket folder as ${name}`);
    assert.equal(env.socketName, DEFAULT_SOCKET_NAME);
    assert.equal(env.broker, 'off', `${componentName}: uses the broker service, not a bundled one`);
    assert.ok(dependsOn(component, 'broker'), `${componentName} starts after the broker`);
    // daprd discovers sockets once: it must start only once the socket exists.
    const socket = `${env.socketFolder}/${env.socketName}.sock`;
    assert.deepEqual(component.healthcheck?.test, ['CMD', 'test', '-S', socket], `${componentName}: healthy when ${socket} exists`);
    assert.equal(dependsOn(d, componentName)?.condition, 'service_healthy', `${name} waits for ${componentName} to be healthy`);
  }
});

test('each daprd runs next to its app: shared network, app port and Dapr HTTP port agree', () => {
  for (const [name, d] of daprds) {
    const args = d.command ?? [];
    const appId = flag(args, 'app-id')!;
    assert.equal(d.network_mode, `service:${appId}`, `${name} shares the network namespace of service ${appId}`);
    const app = compose.services[appId];
    assert.ok(app, `service ${appId}`);
    assert.ok(dependsOn(d, appId), `${name} starts after ${appId} (it joins its network)`);
    assert.ok(app.command?.includes(`dist/examples/${appId}/main.js`), `${appId} runs its example`);
    assert.equal(app.environment?.DAPR_HTTP_PORT, flag(args, 'dapr-http-port'), `${appId} calls its daprd's HTTP port`);
    if (appId === APP.SUBSCRIBER_APP_ID) {
      assert.equal(flag(args, 'app-port'), String(APP.SUBSCRIBER_APP_PORT), 'daprd delivers on the subscriber\'s port');
      assert.equal(app.environment?.APP_PORT ?? String(APP.SUBSCRIBER_APP_PORT), String(APP.SUBSCRIBER_APP_PORT));
    }
  }
});

test('the Components daprd loads: socket type, names the apps use, declared fields, broker service url', () => {
  const brokerEnv = parseEnv(broker!.environment ?? {});
  const folders = new Set(daprds.map(([name, d]) => {
    assert.ok((d.command ?? []).includes('--resources-path=/components'), `${name} --resources-path=/components`);
    return volumeAt(d, '/components');
  }));
  assert.equal(folders.size, 1, 'every daprd loads the same Components');
  const folder = [...folders][0]!.replace(/^\.\//, '');
  const files = readdirSync(new URL(folder, root)).filter((f) => f.endsWith('.yaml')).sort();
  assert.deepEqual(files, ['pubsub.yaml', 'statestore.yaml']);
  for (const file of files) {
    const doc = readYaml<ComponentDoc>(`${folder}/${file}`);
    checkComponent(doc, `${folder}/${file}`, DEFAULT_SOCKET_NAME);
    const url = urlOf(doc);
    assert.equal(url.hostname, 'broker', `${file}: url points at the broker service`);
    assert.equal(Number(url.port), brokerEnv.brokerPort, `${file}: url has the broker's port`);
  }
});

test('the compose Components are components/*.yaml with the broker service url (and scopes)', () => {
  for (const file of ['pubsub.yaml', 'statestore.yaml']) {
    const local = readYaml<ComponentDoc>(`components/${file}`);
    const deployed = readYaml<ComponentDoc>(`deploy/compose/components/${file}`);
    const withoutUrl = (d: ComponentDoc): unknown => ({ ...d, scopes: undefined, spec: { ...d.spec, metadata: d.spec.metadata?.filter((m) => m.name !== 'url') } });
    assert.deepEqual(withoutUrl(deployed), withoutUrl(local), `deploy/compose/components/${file} mirrors components/${file}`);
  }
});
