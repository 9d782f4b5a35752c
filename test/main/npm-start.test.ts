import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startComponentProcess, killAllComponentProcesses } from '../helpers/component-process.js';
import { freePort } from '../helpers/broker-process.js';
import { connectPubSub, discoverServices, PUBSUB_SERVICE, STATE_SERVICES } from '../helpers/daprd-harness.js';

// What `npm start` runs: the component and the bundled broker in one process, driven like daprd.
after(async () => {
  await killAllComponentProcesses();
});

test('npm start: component + bundled broker in one process; publish → stream → ack; SIGTERM exits 0 and removes the socket', async () => {
  const port = await freePort();
  const data = await mkdtemp(join(tmpdir(), 'dmq-start-'));
  const proc = await startComponentProcess({
    env: { MQTT_BROKER: 'embedded', MQTT_BROKER_PORT: String(port), MQTT_BROKER_DATA: data, LOG_LEVEL: 'debug' },
  });
  const secret = 's3cr3t-Pa55';
  try {
    assert.deepEqual(
      (await discoverServices(proc.socketPath)).filter((s) => s.startsWith('dapr.')).sort(),
      [PUBSUB_SERVICE, ...STATE_SERVICES].sort(),
    );
    const c = connectPubSub(proc.socketPath, 'pubsub');
    // Credentials in the url: the bundled broker (no auth configured) accepts them; logs must not show them.
    await c.init({ url: `tcp://app:${encodeURIComponent(secret)}@127.0.0.1:${port}`, consumerID: 'start-test', password: secret });
    const sub = c.subscribe('orders/new', {}, () => {});
    await sub.ready();
    await c.publish('orders/new', '{"id":1}');
    await sub.waitForAcked(1);
    assert.equal(sub.acked[0]?.data.toString(), '{"id":1}');
    assert.equal(sub.acked[0]?.topicName, 'orders/new');
    await c.close();

    const exit = await proc.stop({ signal: 'SIGTERM' });
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.equal(existsSync(proc.socketPath), false, 'socket file removed');
    const logs = proc.stdout + proc.stderr;
    assert.match(logs, /component listening/, 'the log sink was read');
    assert.ok(!logs.includes(secret) && !logs.includes(encodeURIComponent(secret)), 'the password never reaches the logs');
  } finally {
    await proc.cleanup();
    await rm(data, { recursive: true, force: true });
  }
});

test('a taken broker port stops startup with one line that says what to change', async () => {
  const port = await freePort();
  const data = await mkdtemp(join(tmpdir(), 'dmq-start-'));
  const first = await startComponentProcess({
    env: { MQTT_BROKER: 'embedded', MQTT_BROKER_PORT: String(port), MQTT_BROKER_DATA: data },
  });
  const data2 = await mkdtemp(join(tmpdir(), 'dmq-start-'));
  const second = await startComponentProcess({
    env: { MQTT_BROKER: 'embedded', MQTT_BROKER_PORT: String(port), MQTT_BROKER_DATA: data2 },
    waitForSocket: false,
  });
  try {
    const exit = await second.exited;
    assert.equal(exit.code, 1);
    const lines = second.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line on stderr, got: ${second.stderr}`);
    assert.match(lines[0] ?? '', /MQTT_BROKER_PORT/);
    assert.match(lines[0] ?? '', new RegExp(String(port)));
  } finally {
    await second.cleanup();
    await first.stop();
    await first.cleanup();
    await rm(data, { recursive: true, force: true });
    await rm(data2, { recursive: true, force: true });
  }
});
