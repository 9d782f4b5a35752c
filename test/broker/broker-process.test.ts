import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BrokerProcess,
  type ExitInfo,
  freePort,
  killAllBrokerProcesses,
  spawnBrokerProcess,
  startBrokerProcess,
} from '../helpers/broker-process.js';
import { startBroker } from '../../src/broker/start-broker.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { connectClient, WAIT_MS } from './mqtt-test-client.js';

let root: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'broker-process-'));
});
after(async () => {
  await killAllBrokerProcesses();
  await rm(root, { recursive: true, force: true });
});

test('acknowledged messages survive kill -9 of the broker process', async () => {
  const dataDir = join(root, 'kill9');
  const port = await freePort();
  let broker = await startBrokerProcess({ port, dataDir });

  const sub = await connectClient(port, { clientId: 'kill9-sub', clean: false });
  await sub.client.subscribeAsync('jobs/#', { qos: 1 });
  await sub.end();

  const pub = await connectClient(port, { clientId: 'kill9-pub' });
  await pub.client.publishAsync('config/current', 'retained before the crash', { qos: 1, retain: true });
  // Pipelined, so several PUBLISHes can reach the broker in one read; each resolves on its PUBACK.
  const payloads = ['j1', 'j2', 'j3', 'j4', 'j5'];
  await Promise.all(payloads.map((p) => pub.client.publishAsync('jobs/run', p, { qos: 1 })));

  const killed = await broker.kill9();
  assert.equal(killed.signal, 'SIGKILL');
  await pub.end();

  broker = await startBrokerProcess({ port, dataDir });
  const back = await connectClient(port, { clientId: 'kill9-sub', clean: false });
  try {
    assert.equal(back.connack.sessionPresent, true);
    const got = await back.waitForMessages(payloads.length);
    assert.deepEqual(
      got.map((m) => m.payload),
      payloads,
    );
  } finally {
    await back.end();
  }
  const later = await connectClient(port, { clientId: 'kill9-later' });
  try {
    await later.client.subscribeAsync('config/#', { qos: 1 });
    const [retained] = await later.waitForMessages(1);
    assert.deepEqual(retained, { topic: 'config/current', payload: 'retained before the crash', qos: 1, retain: true });
  } finally {
    await later.end();
  }

  // SIGTERM closes the broker cleanly (exit 0) and releases the data dir for the next start.
  const stopped = await broker.stop();
  assert.deepEqual(stopped, { code: 0, signal: null }, broker.stderr());
  broker = await startBrokerProcess({ port, dataDir });
  assert.deepEqual(await broker.stop(), { code: 0, signal: null });
});

async function exitWithin(broker: BrokerProcess, ms = WAIT_MS): Promise<ExitInfo> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    broker.exited,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`broker process did not exit: ${broker.stderr()}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function stderrLines(broker: BrokerProcess): string[] {
  return broker.stderr().split('\n').filter((line) => line !== '');
}

test('main.js broker on a taken port exits 1 with one stderr line naming MQTT_BROKER_PORT', async () => {
  const blocker: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    blocker.once('error', reject);
    blocker.listen({ port: 0, host: '127.0.0.1' }, resolve);
  });
  const { port } = blocker.address() as AddressInfo;
  try {
    const broker = spawnBrokerProcess({ port, dataDir: join(root, 'taken') });
    assert.deepEqual(await exitWithin(broker), { code: 1, signal: null });
    const lines = stderrLines(broker);
    assert.equal(lines.length, 1, `stderr: ${broker.stderr()}`);
    assert.match(lines[0] ?? '', new RegExp(`port ${port} .*in use.*MQTT_BROKER_PORT`));
  } finally {
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  }
});

test('main.js broker on a data dir another process holds exits 1 with one stderr line naming MQTT_BROKER_DATA', async () => {
  const dataDir = join(root, 'held');
  const holder = await startBroker({ port: 0, dataDir, logger: createSilentLogger() });
  try {
    const broker = spawnBrokerProcess({ port: await freePort(), dataDir });
    assert.deepEqual(await exitWithin(broker), { code: 1, signal: null });
    const lines = stderrLines(broker);
    assert.equal(lines.length, 1, `stderr: ${broker.stderr()}`);
    assert.match(lines[0] ?? '', /in use by another process.*MQTT_BROKER_DATA/);
  } finally {
    await holder.close();
  }
});
