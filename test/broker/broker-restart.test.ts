import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker } from '../../src/broker/start-broker.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { connectClient } from './mqtt-test-client.js';

const logger = createSilentLogger();
let dataDir: string;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'broker-restart-'));
});
after(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function publishWithBroker(port: number, messages: { topic: string; payload: string; retain?: boolean }[]): Promise<void> {
  const pub = await connectClient(port, { clientId: `pub-${port}` });
  try {
    for (const m of messages) await pub.client.publishAsync(m.topic, m.payload, { qos: 1, retain: m.retain ?? false });
  } finally {
    await pub.end();
  }
}

test('retained messages and offline persistent sessions survive close and restart, in publish order', async () => {
  // Run 1: a persistent QoS 1 subscriber registers and goes away; messages arrive meanwhile.
  let broker = await startBroker({ port: 0, dataDir, logger });
  const sub = await connectClient(broker.port, { clientId: 'restart-sub', clean: false });
  await sub.client.subscribeAsync('orders/#', { qos: 1 });
  await sub.end();
  await publishWithBroker(broker.port, [
    { topic: 'status/line', payload: 'kept across restarts', retain: true },
    { topic: 'orders/1', payload: 'm1' },
    { topic: 'orders/2', payload: 'm2' },
  ]);
  await broker.close();

  // Run 2: more messages for the still-offline subscriber.
  broker = await startBroker({ port: 0, dataDir, logger });
  await publishWithBroker(broker.port, [{ topic: 'orders/3', payload: 'm3' }]);
  await broker.close();

  // Run 3: the subscriber comes back and gets everything, oldest first; the retained message is there.
  broker = await startBroker({ port: 0, dataDir, logger });
  try {
    const back = await connectClient(broker.port, { clientId: 'restart-sub', clean: false });
    try {
      assert.equal(back.connack.sessionPresent, true, 'the session (and its subscription) was kept');
      const got = await back.waitForMessages(3);
      assert.deepEqual(
        got.map(({ topic, payload, qos }) => ({ topic, payload, qos })),
        [
          { topic: 'orders/1', payload: 'm1', qos: 1 },
          { topic: 'orders/2', payload: 'm2', qos: 1 },
          { topic: 'orders/3', payload: 'm3', qos: 1 },
        ],
      );
      // The stored subscription is live again, not only the queue.
      await publishWithBroker(broker.port, [{ topic: 'orders/4', payload: 'm4' }]);
      const [, , , fourth] = await back.waitForMessages(4);
      assert.equal(fourth?.payload, 'm4');
    } finally {
      await back.end();
    }

    const later = await connectClient(broker.port, { clientId: 'restart-later' });
    try {
      await later.client.subscribeAsync('status/#', { qos: 1 });
      const [retained] = await later.waitForMessages(1);
      assert.deepEqual(retained, { topic: 'status/line', payload: 'kept across restarts', qos: 1, retain: true });
    } finally {
      await later.end();
    }
  } finally {
    await broker.close();
  }
});
