/**
 * Competing consumers (N3) and restart durability (R8), on the bundled broker and Mosquitto:
 * - two replicas (two component processes' servers, one consumerID, default client ids) split
 *   10,000 messages: none lost, none handled twice, both take a share;
 * - a different app (another consumerID) gets every message;
 * - a replica stopped and started again on the same socket path resumes its persistent session
 *   and gets what was published meanwhile.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startComponentServer, type ComponentServer } from '../../src/grpc/start-component-server.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { isReachable, MOSQUITTO_URL, startFixture, type BrokerKind, type Fixture } from '../helpers/component-fixture.js';
import { mosquittoUnreachable, requirePeer } from '../helpers/require-peer.js';
import { connectPubSub, type PubSubConnection } from '../helpers/daprd-harness.js';
import { connectPeer } from '../helpers/mqtt-peer.js';

const TOTAL = 10_000;

for (const kind of ['bundled', 'mosquitto'] as BrokerKind[]) {
  describe(`competing consumers and restart durability (${kind})`, async () => {
    const missing = kind === 'mosquitto' && !(await isReachable(MOSQUITTO_URL)) ? mosquittoUnreachable(MOSQUITTO_URL) : false;
    before(() => requirePeer(missing));
    let fx: Fixture | undefined;
    const servers: ComponentServer[] = [];
    const folders: string[] = [];
    const conns: PubSubConnection[] = [];
    after(async () => {
      await Promise.allSettled(conns.map((c) => c.close()));
      await Promise.allSettled(servers.map((s) => s.close()));
      await Promise.allSettled(folders.map((f) => rm(f, { recursive: true, force: true })));
      await fx?.close();
    });

    /** A replica: its own component server on its own socket path, as a second process would have. */
    async function replica(folder?: string): Promise<{ server: ComponentServer; folder: string }> {
      const f = folder ?? (await mkdtemp(join(tmpdir(), 'dmq-rep-')));
      if (!folder) folders.push(f);
      const server = await startComponentServer({ socketFolder: f, socketName: 'mqtt-pluggable', logger: createSilentLogger() });
      servers.push(server);
      return { server, folder: f };
    }

    async function app(server: ComponentServer, consumerID: string, extra: Record<string, string> = {}): Promise<PubSubConnection> {
      const c = connectPubSub(server.socketPath, 'pubsub');
      conns.push(c);
      // Persistent sessions on the shared Mosquitto are wiped in the test (clean reconnect below).
      await c.init({ url: fx!.brokerUrl, consumerID, ...extra });
      return c;
    }

    it(`N3: two replicas of one app split ${TOTAL} messages, none lost, none twice; another app gets all`, async (t) => {
      fx = await startFixture({ broker: kind });
      const topic = fx.topic('orders');
      const group = fx.uid('orders-app');
      const [a, b, other] = [await replica(), await replica(), await replica()];
      const subA = (await app(a.server, group)).subscribe(topic, {}, () => {});
      const subB = (await app(b.server, group)).subscribe(topic, {}, () => {});
      const subO = (await app(other.server, fx.uid('audit-app'))).subscribe(topic, {}, () => {});
      // ready() publishes probes until one comes back on that stream; in a share group a probe
      // goes to one member only, but each stream's own probes keep coming until it gets one.
      await Promise.all([subO.ready(), subA.ready(), subB.ready()]);
      const peer = await connectPeer(fx.brokerUrl);
      try {
        const body = (i: number): string => `order-${i}`;
        const inGroup = (): number => subA.acked.length + subB.acked.length;
        // Publish in batches and keep each subscriber's backlog under ~600 messages: Mosquitto's
        // default max_queued_messages (1000) drops QoS 1 messages beyond it, even for online clients.
        for (let i = 0; i < TOTAL; i += 200) {
          await Promise.all(Array.from({ length: Math.min(200, TOTAL - i) }, (_, k) => peer.publish(topic, body(i + k), { qos: 1 })));
          const floor = i + 200 - 600;
          await subO.waitFor(() => subO.acked.length >= floor && inGroup() >= floor, { timeoutMs: 30_000, what: `backlog below 600 after ${i + 200}` });
        }
        await subO.waitForAcked(TOTAL, { timeoutMs: 120_000 });
        await subA.waitFor(() => inGroup() >= TOTAL, { timeoutMs: 120_000, what: `${TOTAL} messages across the two replicas` });
        const seen = new Map<string, number>();
        for (const d of [...subA.acked, ...subB.acked]) seen.set(d.data.toString(), (seen.get(d.data.toString()) ?? 0) + 1);
        const wanted = Array.from({ length: TOTAL }, (_, i) => body(i));
        const lost = wanted.filter((w) => !seen.has(w)).length;
        const twice = [...seen.values()].filter((n) => n > 1).length;
        const otherSeen = new Set(subO.acked.map((d) => d.data.toString()));
        t.diagnostic(
          `${kind}: published ${TOTAL}; replica A ${subA.acked.length}, replica B ${subB.acked.length}; lost ${lost}, handled twice ${twice}; other app ${otherSeen.size}`,
        );
        assert.equal(lost, 0, 'no message lost');
        assert.equal(twice, 0, 'no message handled by both replicas');
        assert.ok(subA.acked.length > TOTAL * 0.2 && subB.acked.length > TOTAL * 0.2, 'both replicas take a real share');
        assert.equal(wanted.filter((w) => !otherSeen.has(w)).length, 0, 'the other app gets every message');
      } finally {
        await peer.close();
      }
    });

    it('N5: a cancelled stream holding an unacked message (persistent session) does not block another topic', async () => {
      fx ??= await startFixture({ broker: kind });
      const [topicA, topicB] = [fx.topic('n5-a'), fx.topic('n5-b')];
      const r = await replica();
      const c = await app(r.server, fx.uid('n5-app'));
      let release: () => void = () => undefined;
      const stuck = new Promise<void>((resolve) => (release = resolve));
      const subA = c.subscribe(topicA, {}, () => stuck);
      const subB = c.subscribe(topicB, {}, () => {});
      await Promise.all([subA.ready(), subB.ready()]);
      await c.publish(topicA, 'held');
      await subA.waitFor(() => subA.deliveries.some((d) => d.data.toString() === 'held'), { what: 'the held message' });
      const closing = subA.close();
      release();
      await closing;
      for (let i = 0; i < 5; i++) await c.publish(topicB, `b-${i}`);
      await subB.waitFor(() => subB.acked.filter((d) => d.data.toString().startsWith('b-')).length >= 5, { what: 'topic B after A was cancelled' });
      assert.equal(subB.serverEnd, undefined, 'stream B still open');
    });

    it('R8: a replica restarted on the same socket path resumes its session and gets what was published meanwhile', async (t) => {
      fx ??= await startFixture({ broker: kind });
      const topic = fx.topic('r8');
      const group = fx.uid('r8-app');
      const first = await replica();
      const c1 = await app(first.server, group);
      const s1 = c1.subscribe(topic, {}, () => {});
      await s1.ready();
      await c1.close();
      await first.server.close();

      const peer = await connectPeer(fx.brokerUrl);
      try {
        for (let i = 0; i < 20; i++) await peer.publish(topic, `while-down-${i}`, { qos: 1 });
      } finally {
        await peer.close();
      }
      const again = await replica(first.folder);
      const c2 = await app(again.server, group);
      const s2 = c2.subscribe(topic, {}, () => {});
      await s2.waitFor(() => s2.acked.filter((d) => d.data.toString().startsWith('while-down-')).length >= 20, {
        timeoutMs: 20_000,
        what: 'the 20 messages published while the replica was down',
      });
      const got = s2.acked.map((d) => d.data.toString()).filter((p) => p.startsWith('while-down-'));
      t.diagnostic(`${kind}: 20 published while down, ${got.length} delivered after restart`);
      assert.deepEqual(got, Array.from({ length: 20 }, (_, i) => `while-down-${i}`), 'all, once, in order');
    });
  });
}
