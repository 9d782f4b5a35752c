/**
 * Contract of the bundled broker's extension chain (src/broker/aedes-extensions.ts) with the
 * pinned Aedes: every internal the chain lists exists where it is used, with the shape it
 * relies on, on a running broker. After an Aedes upgrade a failure here names what moved.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { AEDES_EXTENSIONS, AEDES_INTERNALS, SURROUNDING_STEPS } from '../../src/broker/aedes-extensions.js';
import { startBroker } from '../../src/broker/start-broker.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { waitUntil } from '../helpers/wait.js';

const PACKAGE_JSON = new URL('../../../package.json', import.meta.url);

test('mqtt, aedes and aedes-persistence-level are pinned exactly, and the installed versions are the pinned ones', async () => {
  const pkg = JSON.parse(await readFile(PACKAGE_JSON, 'utf8')) as { dependencies: Record<string, string> };
  for (const name of ['mqtt', 'aedes', 'aedes-persistence-level']) {
    const pinned = pkg.dependencies[name] as string;
    assert.match(pinned, /^\d+\.\d+\.\d+$/, `${name} is pinned to one version, not a range ("${pinned}")`);
    const installed = (JSON.parse(await readFile(new URL(`../../../node_modules/${name}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;
    assert.equal(installed, pinned, `${name}: installed ${installed}, pinned ${pinned}; rerun the contract suites before changing the pin`);
  }
});

test('the chain is declared once, in order, and lists what it touches', () => {
  assert.deepEqual(
    AEDES_EXTENSIONS.map((e) => e.name),
    ['log-broker-events', 'emit-in-publish-order', 'authorize-clients', 'protect-state-topics', 'persist-before-puback', 'shared-subscriptions'],
  );
  for (const step of [...AEDES_EXTENSIONS, ...SURROUNDING_STEPS]) assert.ok(step.touches.length > 0, `${step.name} names what it touches`);
});

test('every Aedes internal the chain touches exists on a running broker with the shape it relies on', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'aedes-contract-'));
  const broker = await startBroker({ port: 0, dataDir: dir, logger: createSilentLogger() });
  t.after(async () => {
    await broker.close();
    await rm(dir, { recursive: true, force: true });
  });
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'contract-1', clean: false });
  t.after(() => client.endAsync());
  await client.subscribeAsync('contract/t', { qos: 1 });
  const received: Array<{ messageId?: number }> = [];
  client.on('message', (_t, _p, packet) => received.push(packet));

  const aedes = broker.aedes as unknown as Record<string, unknown> & {
    mq: Record<string, unknown>;
    persistence: Record<string, unknown>;
    clients: Record<string, Record<string, unknown> | undefined>;
  };
  const held = aedes.clients['contract-1'];
  assert.ok(held, 'aedes.clients is keyed by client id');
  const where = (name: string): unknown => {
    const [owner, ...path] = name.split('.');
    let value: unknown = owner === 'aedes' ? aedes : owner === 'persistence' ? aedes.persistence : owner === 'client' ? held : undefined;
    for (const part of path) value = (value as Record<string, unknown> | undefined)?.[part];
    return value;
  };
  const checked: string[] = [];
  for (const name of AEDES_INTERNALS) {
    if (name.includes(' ') || name.startsWith('packet.')) continue; // events and packet fields: checked by behaviour below
    const value = where(name);
    assert.notEqual(value, undefined, `Aedes no longer has ${name}`);
    if (name === 'client._nextId') assert.equal(typeof value, 'number', `${name} is a counter`);
    else if (name === 'client.subscriptions' || name === 'aedes.clients') assert.equal(typeof value, 'object', `${name} is a table`);
    else assert.equal(typeof value, 'function', `${name} is a function`);
    checked.push(name);
  }
  assert.ok(checked.length >= 20, `checked ${checked.length} internals`);
  assert.equal(typeof (held._parser as { parse?: unknown } | undefined)?.parse, 'function', 'client._parser.parse (packet size guard)');

  // Behaviour the chain relies on: packets carry brokerCounter; a QoS 1 delivery takes client._nextId.
  const before = held._nextId as number;
  const stamped: number[] = [];
  (aedes.mq.on as (filter: string, fn: (packet: { brokerCounter?: number }, cb: () => void) => void) => void)('contract/t', (packet, cb) => {
    stamped.push(packet.brokerCounter ?? -1);
    cb();
  });
  await client.publishAsync('contract/t', 'x', { qos: 1 });
  await waitUntil(() => received.length === 1, () => 'the delivery back to the subscriber');
  assert.ok(stamped.length === 1 && (stamped[0] as number) > 0, 'published packets carry a positive brokerCounter');
  assert.equal(received[0]?.messageId, before, 'Aedes sends a QoS 1 delivery with client._nextId');
});
