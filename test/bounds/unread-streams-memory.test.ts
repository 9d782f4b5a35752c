/**
 * A stuck daprd that opens PullMessages streams and never reads them: each stream gets one
 * message (delivery is serial, max unacked per stream 1), each subscription holds at most
 * `maxBufferedMessages` (100 here) and leaves the rest at the broker. 50 such streams over
 * persistent sessions holding 1,000 messages of 8 KiB each (50,000 messages, 390 MiB, more than
 * the bound): the component's peak RSS stays under the bound, and it keeps serving other
 * streams and publishes meanwhile. MAX_STREAMS refuses a stream beyond it.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { randomId } from '../helpers/component-fixture.js';
import { connectPubSub, type PubSubConnection } from '../helpers/daprd-harness.js';
import { mib } from '../helpers/process-memory.js';
import { staysFalse, waitUntil } from '../helpers/wait.js';
import { numbered, publishMany, RSS_BOUND_MIB, startBoundsBench, type BoundsBench } from './bounds-fixture.js';

const STREAMS = 50;
const PER_TOPIC = 1_000;
const PAYLOAD_BYTES = 8 * 1024;
const MAX_BUFFERED = 100;

const root = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../../' : '../../', import.meta.url));

type RawStream = grpc.ClientDuplexStream<unknown, unknown>;
interface RawPubSub extends grpc.Client {
  pullMessages(metadata: grpc.Metadata): RawStream;
}

/** A PubSub client whose streams nobody reads (no 'data' listener: grpc-js never pulls a message). */
function rawClient(socketPath: string): RawPubSub {
  const def = protoLoader.loadSync('dapr/proto/components/v1/pubsub.proto', { longs: String, enums: String, oneofs: true, includeDirs: [path.join(root, 'proto')] });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { dapr: { proto: { components: { v1: { PubSub: new (address: string, credentials: grpc.ChannelCredentials) => RawPubSub } } } } };
  return new pkg.dapr.proto.components.v1.PubSub(`unix:${socketPath}`, grpc.credentials.createInsecure());
}

describe('bounded memory: PullMessages streams that are never read', () => {
  let bench: BoundsBench;
  let conn: PubSubConnection;
  let raw: RawPubSub | undefined;
  const streams: RawStream[] = [];
  before(async () => {
    bench = await startBoundsBench({ MAX_STREAMS: String(STREAMS + 1) });
    conn = connectPubSub(bench.component.socketPath, 'unread');
  });
  after(async () => {
    for (const s of streams) s.cancel();
    raw?.close();
    await conn?.close();
    await bench?.close();
  });

  it(`${STREAMS} streams never read, ${PER_TOPIC} messages of ${PAYLOAD_BYTES / 1024} KiB waiting for each: peak RSS under ${RSS_BOUND_MIB} MiB; other work goes on`, async (t) => {
    await conn.init({ url: bench.url, consumerID: randomId('unread'), sharedSubscriptions: 'false', maxBufferedMessages: String(MAX_BUFFERED) });
    const base = randomId('unread');
    const topics = Array.from({ length: STREAMS }, (_, i) => `${base}/t${i}`);
    // Persistent sessions exist, then their streams go away: the broker queues for them.
    await Promise.all(
      topics.map(async (topic) => {
        const s = conn.subscribe(topic, {}, () => {});
        await s.ready({ timeoutMs: 20_000 });
        await s.close();
      }),
    );
    const baseline = bench.memory();
    const t0 = Date.now();
    const publisher = await bench.directClient();
    await publishMany(publisher, (i) => topics[i % STREAMS] as string, STREAMS * PER_TOPIC, (i) => numbered(i, PAYLOAD_BYTES));
    const publishMs = Date.now() - t0;

    // daprd opens the streams again and never reads them.
    raw = rawClient(bench.component.socketPath);
    const md = new grpc.Metadata();
    md.set('x-component-instance', 'unread');
    for (const topic of topics) {
      const s = raw.pullMessages(md);
      s.on('error', () => {});
      s.write({ topic: { name: topic, metadata: {} } });
      streams.push(s);
    }
    // Watch the component while the broker pushes 50 sessions' backlogs (an observation window).
    let heldRss = 0;
    await staysFalse(
      () => {
        heldRss = Math.max(heldRss, bench.memory().rssMiB);
        return false;
      },
      4_000,
      100,
    );

    // Meanwhile the component serves others: a new stream and a publish, at once.
    const other = conn.subscribe(`${base}/other`, {}, () => {});
    await other.ready();
    await conn.publish(`${base}/other`, 'still-serving');
    await other.waitFor(() => other.acked.some((d) => d.data.toString() === 'still-serving'), { what: 'still-serving' });

    // MAX_STREAMS (51, all taken): one more stream is refused at once.
    const extra = conn.subscribe(`${base}/extra`, {}, () => {});
    const refused = await extra.waitForServerEnd();
    assert.equal(refused?.code, grpc.status.RESOURCE_EXHAUSTED, `got ${refused?.code}: ${refused?.details}`);
    assert.match(refused?.details ?? '', /MAX_STREAMS/);
    await other.close();
    // With a stream gone (once the component has seen the cancel), a new one is accepted again.
    await waitUntil(
      async () => {
        const again = conn.subscribe(`${base}/again`, {}, () => {});
        try {
          await again.ready({ timeoutMs: 2_000 });
          return true;
        } catch {
          return false;
        } finally {
          await again.close();
        }
      },
      () => 'a stream to be accepted after one closed',
    );

    const end = bench.memory();
    t.diagnostic(
      `published ${STREAMS * PER_TOPIC} x ${PAYLOAD_BYTES} B to ${STREAMS} sessions in ${publishMs} ms; component RSS: baseline ${mib(baseline.rssMiB)}, ` +
        `with ${STREAMS} unread streams (max sampled) ${mib(heldRss)}, peak VmHWM ${mib(end.peakMiB)}`,
    );
    assert.ok(end.peakMiB < RSS_BOUND_MIB, `peak RSS ${mib(end.peakMiB)} < ${RSS_BOUND_MIB} MiB`);
  });
});
