/**
 * I3: a three-node NATS cluster (routes on loopback, JetStream, `mqtt { stream_replicas: 3 }`)
 * given whole in `url`. The component's connections start on the first node (the list is tried
 * in order); that node is killed with SIGKILL while a publisher and a PullMessages stream are
 * running. Counted: published, acknowledged (Publish answered OK), delivered, duplicated, lost
 * (acknowledged but never delivered), and the time until Publish and Ping work again.
 * 0 acknowledged messages lost, the stream never ends, Ping recovers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFixture, type Fixture } from '../helpers/component-fixture.js';
import { pingOk } from '../helpers/grpc-assert.js';
import { startNatsCluster, type NatsCluster } from '../helpers/nats-cluster.js';
import { assertStreamAlive, counts, text } from '../helpers/pubsub-scenarios.js';
import { waitUntil } from '../helpers/wait.js';

const BEFORE_KILL = 150;
const AFTER_KILL = 150;

describe('I3: three-node NATS cluster listed in url, node in use killed by SIGKILL mid-stream', () => {
  let cluster: NatsCluster;
  let fx: Fixture;
  before(async () => {
    cluster = await startNatsCluster(3, 3);
    fx = await startFixture({ broker: 'external', brokerUrl: cluster.url });
  });
  after(async () => {
    await fx?.close();
    await cluster?.close();
  });

  it('0 acknowledged messages lost, the stream never ends, Ping recovers', async (t) => {
    const subscriber = await fx.initInstance({ qos: '1' });
    const publisher = await fx.initInstance({ qos: '1', publishTimeout: '20s' });
    const topic = fx.topic('cluster');
    const sub = subscriber.subscribe(topic, {}, () => undefined);
    await sub.ready({ timeoutMs: 20_000 });

    const acknowledged: string[] = [];
    const failed: string[] = [];
    let published = 0;
    let killedAt = 0;
    let firstAckAfterKill = 0;
    const publishOne = async (): Promise<void> => {
      const payload = `m-${published++}`;
      try {
        await publisher.publish(topic, payload);
        acknowledged.push(payload);
        if (killedAt > 0 && firstAckAfterKill === 0) firstAckAfterKill = Date.now();
      } catch {
        failed.push(payload);
      }
    };

    for (let i = 0; i < BEFORE_KILL; i++) await publishOne();
    // Mid-stream: some already delivered, the rest still flowing.
    await sub.waitFor(() => sub.acked.length >= BEFORE_KILL / 2, { timeoutMs: 20_000, what: 'half the first batch delivered' });
    const victim = cluster.nodes[0]!;
    // The list is tried in order: the component's connections are on the first node.
    const onVictim = await victim.mqttClients();
    assert.ok(onVictim.some((id) => id.endsWith('-pub')), `the publisher is not on ${victim.name}: ${onVictim.join(', ')}`);
    assert.ok(onVictim.some((id) => id.includes('-sub-')), `the subscriber is not on ${victim.name}: ${onVictim.join(', ')}`);
    killedAt = Date.now();
    await victim.kill();
    const publishing = (async () => {
      for (let i = 0; i < AFTER_KILL; i++) await publishOne();
    })();

    // Each instance has its own links, which recover independently: Ping must come back on both.
    const pingBack = async (conn: typeof publisher, what: string): Promise<number> => {
      let at = 0;
      await waitUntil(
        async () => {
          if (!(await pingOk(conn))) return false;
          at = Date.now();
          return true;
        },
        () => `Ping OK on the ${what} after the node kill`,
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      return at;
    };
    const [pingBackAt, subscriberPingBackAt] = await Promise.all([pingBack(publisher, 'publisher'), pingBack(subscriber, 'subscriber')]);
    await publishing;

    const delivered = (): Set<string> => new Set(sub.acked.map(text));
    await sub.waitFor(() => acknowledged.every((p) => delivered().has(p)), {
      timeoutMs: 60_000,
      what: 'every acknowledged message delivered',
    });
    // First delivery of a message published after the kill: the subscriber's link moved too.
    const firstDeliveryAfterKill = sub.deliveries.find((d) => Number(text(d).slice(2)) >= BEFORE_KILL)?.receivedAt ?? 0;
    const deliveredSet = delivered();
    const lost = acknowledged.filter((p) => !deliveredSet.has(p));
    const duplicated = [...counts(sub.acked.map(text)).values()].filter((n) => n > 1).length;
    const figures = {
      published,
      acknowledged: acknowledged.length,
      failedRetriably: failed.length,
      delivered: deliveredSet.size,
      duplicated,
      lost: lost.length,
      publishRecoveredMs: firstAckAfterKill - killedAt,
      pingRecoveredMs: pingBackAt - killedAt,
      subscriberPingRecoveredMs: subscriberPingBackAt - killedAt,
      deliveryRecoveredMs: firstDeliveryAfterKill > 0 ? firstDeliveryAfterKill - killedAt : -1,
    };
    t.diagnostic(`cluster kill figures: ${JSON.stringify(figures)}`);
    console.log(`# cluster kill figures: ${JSON.stringify(figures)}`);

    assert.deepEqual(lost, [], 'acknowledged messages were never delivered');
    assert.ok(acknowledged.length >= BEFORE_KILL, `only ${acknowledged.length} publishes acknowledged`);
    assert.ok(firstAckAfterKill > 0, 'no publish was acknowledged after the kill');
    assertStreamAlive(sub);
    // Both connections moved on to the surviving nodes.
    const survivors = (await Promise.all(cluster.nodes.slice(1).map((n) => n.mqttClients()))).flat();
    assert.ok(survivors.some((id) => id.endsWith('-pub')) && survivors.some((id) => id.includes('-sub-')), `not reconnected to the other nodes: ${survivors.join(', ')}`);
    await subscriber.ping();
    await publisher.ping();
    await sub.close();
  });
});
