/**
 * N8: QoS 2 is exactly-once across a reconnect. A plain MQTT client publishes QoS 2 messages
 * while the component's links are reset (TCP proxy) twice mid-stream; the app must see every
 * message exactly once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { isReachable, MOSQUITTO_URL, startFixture, type BrokerKind, type Fixture } from '../helpers/component-fixture.js';
import { mosquittoUnreachable, requirePeer } from '../helpers/require-peer.js';
import { connectPeer } from '../helpers/mqtt-peer.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { subscriberClientId } from '../../src/pubsub/client-ids.js';

const TOTAL = 60;

for (const kind of ['bundled', 'mosquitto'] as BrokerKind[]) {
  describe(`N8: QoS 2 exactly once across reconnects (${kind})`, async () => {
    const missing = kind === 'mosquitto' && !(await isReachable(MOSQUITTO_URL)) ? mosquittoUnreachable(MOSQUITTO_URL) : false;
    before(() => requirePeer(missing));
    let fx: Fixture | undefined;
    let proxy: TcpProxy | undefined;
    after(async () => {
      await proxy?.close();
      await fx?.close();
    });

    it('every message reaches the app once, in order', async (t) => {
      fx = await startFixture({ broker: kind });
      proxy = await startTcpProxy({ targetPort: Number(new URL(fx.brokerUrl).port || 1883) });
      const clientId = fx.uid('n8');
      const topic = fx.topic('n8');
      const conn = fx.connect();
      const consumerID = fx.uid('n8c');
      await conn.init({ url: proxy.url, consumerID, clientId, qos: '2', keepAlive: '2', connectTimeout: '3s' });
      const sub = conn.subscribe(topic, { qos: '2' }, async () => {
        await delay(2); // keep messages in flight when the link is cut
      });
      await sub.ready();
      const peer = await connectPeer(fx.brokerUrl);
      const proxyRef = proxy;
      try {
        for (let batch = 0; batch < 3; batch++) {
          await Promise.all(
            Array.from({ length: TOTAL / 3 }, (_, i) => peer.publish(topic, `m-${batch * (TOTAL / 3) + i}`, { qos: 2 })),
          );
          if (batch < 2) {
            await sub.waitFor(() => sub.acked.length >= (batch + 1) * (TOTAL / 3) - 10, { timeoutMs: 15_000, what: 'part of the batch' });
            proxyRef.cut('reset');
            await delay(150);
            proxyRef.restore();
          }
        }
        await sub.waitForAcked(TOTAL, { timeoutMs: 30_000 });
        // A moment for any stray redelivery to show up.
        await delay(300);
        const payloads = sub.acked.map((d) => d.data.toString());
        const counts = new Map<string, number>();
        for (const p of payloads) counts.set(p, (counts.get(p) ?? 0) + 1);
        const dups = [...counts.entries()].filter(([, n]) => n > 1);
        t.diagnostic(`${kind}: ${TOTAL} published, ${sub.deliveries.length} delivered, ${dups.length} duplicated, reconnects through proxy ${proxyRef.acceptedCount - 2}`);
        assert.deepEqual(dups, [], 'no message twice');
        assert.equal(counts.size, TOTAL, 'no message lost');
        assert.ok(sub.deliveries.every((d) => d.metadata.qos === '2'), 'delivered at QoS 2');
        assert.ok(proxyRef.acceptedCount > 2, 'the links really reconnected');
      } finally {
        await peer.close();
        if (kind === 'mosquitto') {
          // Leave no persistent session behind on the shared broker.
          const p = await connectPeer(fx.brokerUrl, { clientId: subscriberClientId(clientId, `$share/${consumerID}/${topic}`, 0), clean: true });
          await p.close();
        }
      }
    });
  });
}
