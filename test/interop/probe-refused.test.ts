/**
 * A broker whose ACL blocks the probe's private topic (as managed brokers may): the MQTT 3.1.1
 * probe cannot decide, Init still succeeds within the probe's bound, the configuration (shared
 * subscriptions on) stays in charge, and messages flow. Private Mosquitto allowing only
 * two-level topics (and their `$share/<group>/` form); the probe uses three
 * (`dapr-mqtt-probe/<random>/plain`). Mosquitto grants the subscription and drops the message.
 */
import assert from 'node:assert/strict';
import { writeFile, mkdtemp, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFixture, type Fixture } from '../helpers/component-fixture.js';
import { startMosquitto, type MosquittoProcess } from '../helpers/mosquitto-process.js';
import { numbered, publishAll, text } from '../helpers/pubsub-scenarios.js';
import { connectPeer } from '../helpers/mqtt-peer.js';

describe('probe refused by the broker ACL', () => {
  let dir: string;
  let mosquitto: MosquittoProcess;
  let fx: Fixture;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'acl-'));
    await chmod(dir, 0o755);
    const acl = join(dir, 'acl');
    await writeFile(acl, 'topic readwrite +/+\ntopic readwrite $share/+/+/+\n');
    await chmod(acl, 0o644);
    mosquitto = await startMosquitto({ extraConfig: [`acl_file ${acl}`] });
    fx = await startFixture({ broker: 'external', brokerUrl: `tcp://127.0.0.1:${mosquitto.port}` });
  });
  after(async () => {
    await fx?.close();
    await mosquitto?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('the ACL really blocks the probe topic (checked with a plain client)', async () => {
    const peer = await connectPeer(fx.brokerUrl);
    try {
      const probe = await peer.subscribe('dapr-mqtt-probe/x/plain', 1);
      const marker = await peer.subscribe(fx.topic('marker'), 1);
      await peer.publish('dapr-mqtt-probe/x/plain', 'blocked', { qos: 1 });
      await peer.publish(fx.topic('marker'), 'passes', { qos: 1 });
      await marker.waitFor(1);
      assert.equal(probe.messages.length, 0, 'the ACL let the probe topic through');
    } finally {
      await peer.close();
    }
  });

  it('Init succeeds within the probe bound, shared subscriptions stay on, messages flow', async () => {
    const start = Date.now();
    const conn = await fx.initInstance({ qos: '2' });
    // Init waits at most the probe's bound (1.5 s) on top of connecting.
    assert.ok(Date.now() - start < 6_000, `Init took ${Date.now() - start} ms`);
    const topic = fx.topic('acl');
    const sub = conn.subscribe(topic, {}, () => undefined);
    await sub.ready();
    const payloads = numbered('acl', 20);
    await publishAll(conn, topic, payloads);
    await sub.waitForAcked(20);
    assert.deepEqual(sub.acked.map(text), payloads);
    await sub.close();
  });
});
