/**
 * R9: the broker link is cut (silently, longer than keepalive) under a running component.
 * N16 (lite): after reconnects there are no duplicate subscriptions.
 *
 * The component reaches the broker through a TCP proxy, so both its publisher link and its
 * subscription link go through the cut. The fake app publishes through the component the whole
 * time; every publish must either succeed (and then its message must reach the stream) or fail
 * with UNAVAILABLE (retriable). Figures are printed with t.diagnostic.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { startFixture, type BrokerKind, type Fixture } from '../helpers/component-fixture.js';
import { grpcCodeName, pingOk } from '../helpers/grpc-assert.js';
import { connectPeer } from '../helpers/mqtt-peer.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { waitUntil } from '../helpers/wait.js';
import { publisherClientId, subscriberClientId } from '../../src/pubsub/client-ids.js';

const KEEPALIVE_S = 1;
/** Longer than keepalive x 1.5 on both sides, so both ends give the link up. */
const CUT_MS = 3_500;


/** Wipes the persistent sessions a test left on the shared Mosquitto. */
async function dropSessions(brokerUrl: string, clientIds: string[]): Promise<void> {
  for (const clientId of clientIds) {
    const peer = await connectPeer(brokerUrl, { clientId, clean: true });
    await peer.close();
  }
}

interface Figures {
  published: number;
  acked: number;
  failedUnavailable: number;
  otherErrors: string[];
  attemptedDuringCut: number;
  received: number;
  lost: number;
  duplicated: number;
  failedButDelivered: number;
  reconnectMs: number;
}

async function runCut(t: TestContext, kind: BrokerKind): Promise<Figures> {
  const fx: Fixture = await startFixture({ broker: kind });
  const brokerPort = Number(new URL(fx.brokerUrl).port || 1883);
  const proxy: TcpProxy = await startTcpProxy({ targetPort: brokerPort });
  const clientId = fx.uid('r9');
  const consumerID = fx.uid('r9-consumer');
  const topic = fx.topic('r9');
  let stop = false;
  let loop: Promise<void> | undefined;
  try {
    const conn = fx.connect();
    await conn.init({
      url: proxy.url,
      consumerID,
      clientId,
      keepAlive: String(KEEPALIVE_S),
      publishTimeout: '1s',
      connectTimeout: '3s',
      qos: '1',
    });
    const sub = conn.subscribe(topic, {}, () => {});
    await sub.ready();

    const acked = new Set<number>();
    const failed = new Set<number>();
    const otherErrors: string[] = [];
    let published = 0;
    let attemptedDuringCut = 0;
    let cutActive = false;
    // The app: one publish at a time, paced at ~100/s (pacing only; nothing waits on it).
    loop = (async () => {
      for (let seq = 1; !stop; seq++) {
        published = seq;
        if (cutActive) attemptedDuringCut += 1;
        try {
          await conn.publish(topic, `r9-${seq}`);
          acked.add(seq);
        } catch (err) {
          if (grpcCodeName(err) === 'UNAVAILABLE') failed.add(seq);
          else otherErrors.push(`#${seq}: ${grpcCodeName(err)} ${(err as Error).message}`);
        }
        await delay(10);
      }
    })();

    await waitUntil(() => acked.size >= 20, () => `20 publishes acked before the cut (acked ${acked.size}, errors ${otherErrors.join('; ')})`);
    const acceptedBefore = proxy.acceptedCount;
    const cutAt = Date.now();
    cutActive = true;
    proxy.cut('blackhole');
    // The cut lasts CUT_MS, and until the component has noticed: Ping reports the link down and
    // both links (publisher, subscription) have tried to reconnect into the black hole.
    let lastPing = true;
    await waitUntil(
      async () => {
        lastPing = await pingOk(conn);
        return Date.now() - cutAt >= CUT_MS && proxy.acceptedCount >= acceptedBefore + 2 && !lastPing;
      },
      () => `the component to notice the cut (reconnect attempts ${proxy.acceptedCount - acceptedBefore}, ping ok ${lastPing})`,
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    const ackedBeforeRestore = acked.size;
    proxy.restore();
    cutActive = false;
    const restoredAt = Date.now();
    await waitUntil(() => pingOk(conn), () => 'Ping to succeed after the link came back', { timeoutMs: 20_000, intervalMs: 50 });
    const reconnectMs = Date.now() - restoredAt;
    await waitUntil(
      () => acked.size >= ackedBeforeRestore + 30,
      () => `30 more publishes acked after restore (acked ${acked.size}, before restore ${ackedBeforeRestore})`,
      { timeoutMs: 20_000 },
    );
    stop = true;
    await loop;

    // Every publish that succeeded must reach the stream (bounded wait), none silently lost.
    const seqOf = (data: Buffer): number => Number(data.toString('utf8').replace(/^r9-/, ''));
    const receivedSeqs = (): Set<number> => new Set(sub.deliveries.map((d) => seqOf(d.data)));
    await waitUntil(
      () => [...acked].every((s) => receivedSeqs().has(s)),
      () => `every acked publish on the stream (missing ${[...acked].filter((s) => !receivedSeqs().has(s)).slice(0, 20).join(',')})`,
      { timeoutMs: 20_000 },
    );
    const received = receivedSeqs();
    const counts = new Map<number, number>();
    for (const d of sub.acked) counts.set(seqOf(d.data), (counts.get(seqOf(d.data)) ?? 0) + 1);
    const figures: Figures = {
      published,
      acked: acked.size,
      failedUnavailable: failed.size,
      otherErrors,
      attemptedDuringCut,
      received: received.size,
      lost: [...acked].filter((s) => !received.has(s)).length,
      duplicated: [...counts.values()].filter((n) => n > 1).length,
      failedButDelivered: [...failed].filter((s) => received.has(s)).length,
      reconnectMs,
    };
    t.diagnostic(
      `${kind}: published ${figures.published}, acked ${figures.acked}, failed UNAVAILABLE ${figures.failedUnavailable}, ` +
        `other errors ${figures.otherErrors.length}, attempted during cut ${figures.attemptedDuringCut}, received ${figures.received}, ` +
        `lost ${figures.lost}, duplicated ${figures.duplicated}, failed-but-delivered ${figures.failedButDelivered}, ` +
        `reconnect after restore ${figures.reconnectMs} ms, proxy connections ${proxy.acceptedCount}`,
    );
    assert.equal(sub.serverEnd, undefined, 'the component must never end the stream');
    return figures;
  } finally {
    stop = true;
    await loop?.catch(() => undefined);
    await proxy.close();
    await fx.close();
    if (kind === 'mosquitto') {
      await dropSessions(fx.brokerUrl, [publisherClientId(clientId), subscriberClientId(clientId, `$share/${consumerID}/${topic}`, 0)]);
    }
  }
}

function assertFigures(f: Figures): void {
  assert.deepEqual(f.otherErrors, [], 'a publish during the cut may only fail with UNAVAILABLE');
  assert.ok(f.attemptedDuringCut >= 1, 'the app must have published during the cut');
  assert.equal(f.lost, 0, 'no successfully published message may be lost');
  assert.equal(f.acked + f.failedUnavailable, f.published, 'every publish either succeeded or failed UNAVAILABLE');
}

describe('R9: broker link cut longer than keepalive', () => {
  it('bundled broker: reconnects, resubscribes, every acked publish delivered', async (t) => {
    assertFigures(await runCut(t, 'bundled'));
  });

  it('Mosquitto: reconnects, resubscribes, every acked publish delivered', async (t) => {
    assertFigures(await runCut(t, 'mosquitto'));
  });
});

describe('N16 (lite): no duplicate subscriptions after reconnects', () => {
  let fx: Fixture;
  let proxy: TcpProxy;
  before(async () => {
    fx = await startFixture({ broker: 'bundled' });
    proxy = await startTcpProxy({ targetPort: Number(new URL(fx.brokerUrl).port) });
  });
  after(async () => {
    await proxy?.close();
    await fx?.close();
  });

  it('after 3 reset cuts each message is delivered exactly once', async (t) => {
    const topic = fx.topic('n16');
    const conn = fx.connect();
    await conn.init({ url: proxy.url, consumerID: fx.uid('n16'), keepAlive: '2', connectTimeout: '3s' });
    const sub = conn.subscribe(topic, {}, () => {});
    await sub.ready();
    const reconnectTimes: number[] = [];
    for (let round = 0; round < 3; round++) {
      proxy.cut('reset');
      await waitUntil(async () => !(await pingOk(conn)), () => `Ping to report the cut (round ${round})`, { intervalMs: 20 });
      const restoredAt = Date.now();
      proxy.restore();
      await waitUntil(() => pingOk(conn), () => `Ping to recover (round ${round})`, { timeoutMs: 20_000, intervalMs: 20 });
      // The subscription link reconnects on its own schedule: probe until the stream sees a message.
      await sub.ready({ timeoutMs: 20_000 });
      reconnectTimes.push(Date.now() - restoredAt);
    }
    t.diagnostic(`recovery after restore (ping + stream), per round: ${reconnectTimes.join(', ')} ms`);

    // Published straight to the broker, not through the component or the proxy.
    const peer = await fx.peer();
    const n = 30;
    for (let i = 0; i < n; i++) await peer.publish(topic, `n16-${i}`, { qos: 1 });
    await sub.waitFor(n);
    // Let duplicates (if any) arrive: observe until a later marker message has arrived, which the
    // broker forwards after every copy of the earlier ones on this single-connection path.
    await peer.publish(topic, 'n16-marker', { qos: 1 });
    await sub.waitFor(() => sub.deliveries.some((d) => d.data.toString() === 'n16-marker'), { what: 'the marker message' });
    const counts = new Map<string, number>();
    for (const d of sub.deliveries) counts.set(d.data.toString(), (counts.get(d.data.toString()) ?? 0) + 1);
    const dupes = [...counts.entries()].filter(([, c]) => c > 1);
    t.diagnostic(`deliveries ${sub.deliveries.length} for ${n + 1} messages; duplicated ${dupes.length}`);
    assert.deepEqual(dupes, [], 'no message may be delivered twice');
    for (let i = 0; i < n; i++) assert.equal(counts.get(`n16-${i}`), 1, `message n16-${i} delivered once`);
    assert.equal(sub.serverEnd, undefined, 'the stream stays open');
  });
});
