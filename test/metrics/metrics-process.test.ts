/**
 * The metrics server as main.ts starts it (`METRICS_PORT`, `METRICS_HOST`), in the real
 * process: component + bundled broker, the broker alone, a taken port, a bad value; and the log
 * lines: pino JSON, one `block` per line, the instance on every line about one.
 */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseEnv } from '../../src/config/env.js';
import type { ReadinessReport } from '../../src/metrics/readiness.js';
import { freePort } from '../helpers/broker-process.js';
import { killAllComponentProcesses, startComponentProcess, type ComponentProcess } from '../helpers/component-process.js';
import { connectPubSub } from '../helpers/daprd-harness.js';
import { killAllMainProcesses, spawnMain, type MainProcess } from '../helpers/main-process.js';
import { waitUntil } from '../helpers/wait.js';
import { httpGet, scrape } from './scrape.js';

const P = 'mqtt_pluggable_';

after(async () => {
  await killAllComponentProcesses();
  await killAllMainProcesses();
});

/** The port the process logged in its "metrics listening" line. */
async function metricsPort(stdout: () => string, exited: () => boolean): Promise<number> {
  let port: number | undefined;
  await waitUntil(
    () => {
      if (exited()) throw new Error(`the process exited before its metrics server listened: ${stdout()}`);
      const line = stdout()
        .split('\n')
        .find((l) => l.includes('"metrics listening"'));
      port = line === undefined ? undefined : (JSON.parse(line) as { port: number }).port;
      return port !== undefined;
    },
    () => 'the "metrics listening" log line',
  );
  return port as number;
}

function logRecords(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        throw new Error(`a log line that is not JSON: ${l}`);
      }
    });
}

test('parseEnv: METRICS_PORT unset = off, 0 = any free port, bad values name the variable; METRICS_HOST defaults to 127.0.0.1', () => {
  assert.equal(parseEnv({}).metricsPort, undefined);
  assert.equal(parseEnv({ METRICS_PORT: ' ' }).metricsPort, undefined);
  assert.equal(parseEnv({ METRICS_PORT: '0' }).metricsPort, 0);
  assert.equal(parseEnv({ METRICS_PORT: '9464' }).metricsPort, 9464);
  assert.equal(parseEnv({}).metricsHost, '127.0.0.1');
  assert.equal(parseEnv({ METRICS_HOST: '0.0.0.0' }).metricsHost, '0.0.0.0');
  for (const bad of ['abc', '-1', '65536', '94.64']) {
    assert.throws(() => parseEnv({ METRICS_PORT: bad }), (err: Error & { field?: string }) => err.field === 'METRICS_PORT' && err.message.includes('METRICS_PORT'));
  }
});

test('component + bundled broker: /healthz, /readyz (component and broker), /metrics after a publish; log lines carry one block and the instance; SIGTERM exits 0', async () => {
  const brokerPort = await freePort();
  const data = await mkdtemp(join(tmpdir(), 'dmq-metrics-proc-'));
  let proc: ComponentProcess | undefined;
  try {
    proc = await startComponentProcess({
      env: { MQTT_BROKER: 'embedded', MQTT_BROKER_PORT: String(brokerPort), MQTT_BROKER_DATA: data, METRICS_PORT: '0', LOG_LEVEL: 'debug' },
    });
    const p = proc;
    const port = await metricsPort(() => p.stdout, () => p.hasExited);

    assert.equal((await httpGet(port, '/healthz')).status, 200);
    const ready = await httpGet(port, '/readyz');
    assert.equal(ready.status, 200, ready.body);
    assert.deepEqual(Object.keys((JSON.parse(ready.body) as ReadinessReport).checks).sort(), ['broker', 'component']);

    const before = await scrape(port);
    assert.equal(before.get(`${P}broker_clients`), 0);
    assert.ok(before.families().includes('process_resident_memory_bytes'));

    const c = connectPubSub(p.socketPath, 'orders-pubsub');
    try {
      await c.init({ url: `tcp://127.0.0.1:${brokerPort}`, consumerID: 'metrics-proc' });
      await c.publish('metrics/proc', 'hello');
      await assert.rejects(c.publish('metrics/+', 'bad'));
      const now = await scrape(port);
      assert.equal(now.get(`${P}pubsub_published_total`, { instance: 'orders-pubsub' }), 1);
      assert.equal(now.get(`${P}pubsub_publish_duration_seconds_count`, { instance: 'orders-pubsub', operation: 'publish', outcome: 'ok' }), 1);
      assert.equal(now.get(`${P}pubsub_publish_duration_seconds_count`, { instance: 'orders-pubsub', operation: 'publish', outcome: 'ERR_PUBLISH_TOPIC_INVALID' }), 1);
      assert.equal(now.get(`${P}broker_clients`), 1, 'the publisher');
    } finally {
      await c.close();
    }

    const exit = await p.stop({ signal: 'SIGTERM' });
    assert.deepEqual(exit, { code: 0, signal: null });

    // Logs: JSON, at most one "block" key per line, and the instance on the lines about it.
    const lines = p.stdout.split('\n').filter((l) => l.trim() !== '');
    for (const l of lines) assert.ok((l.match(/"block":/g) ?? []).length <= 1, `one block per line: ${l}`);
    const records = logRecords(p.stdout);
    const blocks = new Set(records.map((r) => r.block).filter((b) => b !== undefined));
    for (const b of ['grpc', 'pubsub', 'broker', 'state-service', 'metrics']) assert.ok(blocks.has(b), `a line from block ${b} (${[...blocks].join(', ')})`);
    const initialized = records.find((r) => r.msg === 'pubsub initialized');
    assert.equal(initialized?.block, 'pubsub');
    assert.equal(initialized?.instance, 'orders-pubsub');
    const failed = records.find((r) => r.msg === 'call failed' && r.method === 'Publish');
    assert.equal(failed?.block, 'pubsub');
    assert.equal(failed?.instance, 'orders-pubsub');
    assert.equal(failed?.code, 'ERR_PUBLISH_TOPIC_INVALID');
    assert.ok(records.every((r) => r.svc === 'mqtt-pluggable'));
  } finally {
    await proc?.cleanup();
    await rm(data, { recursive: true, force: true });
  }
});

test('broker mode: ready once listening; broker gauges and state service requests on /metrics', async () => {
  const brokerPort = await freePort();
  const data = await mkdtemp(join(tmpdir(), 'dmq-metrics-broker-'));
  let proc: MainProcess | undefined;
  try {
    proc = spawnMain(['broker'], { MQTT_BROKER_PORT: String(brokerPort), MQTT_BROKER_HOST: '127.0.0.1', MQTT_BROKER_DATA: data, METRICS_PORT: '0', LOG_LEVEL: 'info' });
    let exited = false;
    void proc.exited.then(() => (exited = true));
    const p = proc;
    const port = await metricsPort(() => p.stdout(), () => exited);
    // The metrics server starts first; the broker is ready once it listens.
    let body = '';
    await waitUntil(
      async () => {
        const r = await httpGet(port, '/readyz');
        body = r.body;
        return r.status === 200;
      },
      () => `/readyz 200 in broker mode (last: ${body})`,
    );
    assert.deepEqual((JSON.parse(body) as ReadinessReport).checks, { broker: { ready: true, reasons: [] } });
    const now = await scrape(port);
    assert.ok(now.has(`${P}broker_clients`));
    assert.ok(now.has(`${P}broker_sessions`));
    assert.ok(now.families().includes(`${P}state_service_requests_total`));
    const exit = await p.stop();
    assert.deepEqual(exit, { code: 0, signal: null });
  } finally {
    await proc?.kill9();
    await rm(data, { recursive: true, force: true });
  }
});

test('a taken METRICS_PORT stops startup with one line naming METRICS_PORT; a bad value exits 2', async () => {
  const blocker: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    blocker.once('error', reject);
    blocker.listen({ port: 0, host: '127.0.0.1' }, resolve);
  });
  const taken = (blocker.address() as AddressInfo).port;
  try {
    const socketFolder = await mkdtemp(join(tmpdir(), 'dmq-metrics-taken-'));
    try {
      const proc = spawnMain([], { MQTT_BROKER: 'off', DAPR_COMPONENTS_SOCKETS_FOLDER: socketFolder, METRICS_PORT: String(taken), LOG_LEVEL: 'silent' });
      const exit = await proc.exited;
      assert.equal(exit.code, 1);
      const lines = proc.stderr().trim().split('\n');
      assert.equal(lines.length, 1, proc.stderr());
      assert.match(lines[0] as string, new RegExp(`port ${taken} on 127\\.0\\.0\\.1 is in use.*METRICS_PORT`));

      const bad = spawnMain([], { MQTT_BROKER: 'off', DAPR_COMPONENTS_SOCKETS_FOLDER: socketFolder, METRICS_PORT: 'nine' });
      assert.equal((await bad.exited).code, 2);
      assert.match(bad.stderr(), /METRICS_PORT must be a port number/);
    } finally {
      await rm(socketFolder, { recursive: true, force: true });
    }
  } finally {
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  }
});
