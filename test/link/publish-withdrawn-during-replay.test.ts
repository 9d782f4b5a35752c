/**
 * Regression (issue 14, bug 2): a Publish that failed is never sent later. MQTT.js marks the
 * link connected before it has replayed its stored messages, and queues a publish made during
 * that replay without a packet id; the publisher used to take the last allocated id as the new
 * message's, so its deadline withdrew the wrong message (or none) and the failed message was
 * replayed on every later link.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PubSubComponent } from '../../src/pubsub/pubsub-component.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { isComponentError } from '../../src/errors/component-error.js';
import { startScriptedBroker } from '../helpers/scripted-broker.js';
import { waitUntil } from '../helpers/wait.js';

for (const protocolVersion of [4, 5] as const) {
  test(`MQTT ${protocolVersion}: a Publish made during a store replay that fails is not sent on a later link`, async (t) => {
    let publishB: (() => void) | undefined;
    const broker = await startScriptedBroker((conn, packet) => {
      if (packet.cmd !== 'publish') return false;
      // Links 1 and 2 acknowledge nothing; link 3 everything.
      if (conn.index >= 3) conn.send({ cmd: 'puback', messageId: packet.messageId as number });
      else if (conn.index === 1 && packet.topic === 'a') setImmediate(() => conn.destroy());
      else if (conn.index === 2 && packet.topic === 'a') publishB?.();
      return true;
    });
    t.after(() => broker.close());
    const pubsub = await PubSubComponent.init(
      { url: broker.url, consumerID: 'app', publishTimeout: '3s', connectTimeout: '3s', protocolVersion: String(protocolVersion) },
      { instance: 'pubsub', replica: 'r1' },
      createSilentLogger(),
    );
    t.after(() => pubsub.close());

    const outcome = (p: Promise<void>): Promise<string> =>
      p.then(
        () => 'ok',
        (err: unknown) => (isComponentError(err) ? err.code : String(err)),
      );
    let b: Promise<string> | undefined;
    let bFailedAt: number | undefined;
    publishB = () => {
      publishB = undefined;
      b = outcome(pubsub.publish('b', Buffer.from('B'), undefined));
      void b.then(() => (bFailedAt = broker.received.length));
    };
    const a = await outcome(pubsub.publish('a', Buffer.from('A'), undefined));
    assert.equal(a, 'ERR_PUBLISH_UNAVAILABLE', 'A is never acknowledged');
    await waitUntil(() => b !== undefined, () => 'B published during the replay of A on the second link');
    assert.equal(await b, 'ERR_PUBLISH_UNAVAILABLE', 'B is never acknowledged either');
    const receivedWhenBFailed = bFailedAt as number;

    // Another link: whatever the client still holds is replayed on it before a new publish.
    broker.dropAll();
    await waitUntil(() => broker.connections >= 3, () => `a third connection (have ${broker.connections})`);
    assert.equal(await outcome(pubsub.publish('c', Buffer.from('C'), undefined)), 'ok', 'the marker publish C is acknowledged on link 3');
    const late = broker.received.slice(receivedWhenBFailed).filter((r) => r.packet.cmd === 'publish' && r.packet.topic !== 'c');
    assert.deepEqual(
      late.map((r) => `${r.packet.cmd === 'publish' ? r.packet.topic : ''}@link${r.conn}`),
      [],
      'no failed Publish reaches the broker after it was reported failed',
    );
  });
}
