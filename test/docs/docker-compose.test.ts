import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseEnv } from '../../src/config/env.js';
import { PUBSUB_FIELDS } from '../../src/config/metadata-fields.js';

// No Docker engine on our machines: the compose file is checked statically against the code.
const root = new URL(import.meta.url.includes('/dist/') ? '../../../' : '../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

interface Service {
  build?: unknown;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, unknown> | string[];
}
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const { broker, component, daprd } = compose.services;

test('compose has the broker, the component and daprd; env names are the ones main.ts reads', () => {
  assert.ok(broker && component && daprd, 'services broker, component, daprd');
  assert.deepEqual(broker.command, ['broker'], 'the broker runs the image\'s broker entry point');
  // parseEnv accepts exactly these values; a renamed variable would be ignored silently.
  const brokerEnv = parseEnv(broker.environment ?? {});
  assert.equal(brokerEnv.brokerHost, '0.0.0.0', 'the broker listens beyond the container loopback');
  assert.equal(brokerEnv.brokerDataDir, '/data');
  assert.ok(broker.volumes?.some((v) => v.endsWith(':/data')), 'broker data on a named volume');
  const componentEnv = parseEnv(component.environment ?? {});
  assert.equal(componentEnv.broker, 'off', 'the component uses the broker service, not its own');
});

test('component and daprd share the socket folder through one named volume', () => {
  const componentEnv = parseEnv(component!.environment ?? {});
  const daprdFolder = daprd!.environment?.DAPR_COMPONENTS_SOCKETS_FOLDER;
  assert.equal(daprdFolder, componentEnv.socketFolder, 'same socket folder variable and value');
  const mount = (s: Service): string | undefined => s.volumes?.find((v) => v.endsWith(`:${componentEnv.socketFolder}`))?.split(':')[0];
  const volume = mount(component!);
  assert.ok(volume && volume in compose.volumes, 'a named volume');
  assert.equal(mount(daprd!), volume, 'daprd mounts the same volume');
  const deps = daprd!.depends_on;
  assert.ok(deps && (Array.isArray(deps) ? deps.includes('component') : 'component' in deps), 'daprd starts after the component');
});

test('the Component daprd loads matches the socket name and reaches the broker service', () => {
  const componentEnv = parseEnv(component!.environment ?? {});
  const resources = daprd!.volumes?.find((v) => v.split(':')[1] === '/components')?.split(':')[0];
  assert.ok(resources, 'daprd mounts a resources folder at /components');
  assert.ok((daprd!.command ?? []).some((a) => a === '--resources-path=/components'));
  const doc = parse(read(`${resources!.replace(/^\.\//, '')}/pubsub.yaml`)) as {
    spec: { type: string; metadata: Array<{ name: string; value?: string }> };
  };
  assert.equal(doc.spec.type, `pubsub.${componentEnv.socketName}`);
  const url = doc.spec.metadata.find((m) => m.name === 'url')?.value ?? '';
  assert.equal(new URL(url).hostname, 'broker', 'url points at the broker service');
  const declared = new Set(PUBSUB_FIELDS.map((f) => f.name));
  for (const m of doc.spec.metadata) assert.ok(declared.has(m.name), `declared field ${m.name}`);
});
