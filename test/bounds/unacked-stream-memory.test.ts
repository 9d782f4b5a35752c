/**
 * A dead daprd (a PullMessages stream that never acks) cannot make the component hold more than
 * its bounds: `deliveryReadAhead` messages handed to daprd (max unacked per stream), at most
 * `maxBufferedMessages` read from the broker, the rest left at the broker (TCP backpressure).
 * 10,000 messages of 64 KiB (625 MiB, more than the bound) wait in the subscription's persistent
 * session; the stream then resumes it and never acks. The component's peak RSS stays under the
 * bound; once the stream acks, all 10,000 arrive.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomId } from '../helpers/component-fixture.js';
import { connectPubSub, type PubSubConnection } from '../helpers/daprd-harness.js';
import { mib } from '../helpers/process-memory.js';
import { DEFAULT_READ_AHEAD as READ_AHEAD } from '../helpers/pubsub-scenarios.js';
import { staysFalse } from '../helpers/wait.js';
import { numbered, publishMany, RSS_BOUND_MIB, startBoundsBench, type BoundsBench } from './bounds-fixture.js';

const MESSAGES = 10_000;
const PAYLOAD_BYTES = 64 * 1024;

describe('bounded memory: a stream that never acks', () => {
  let bench: BoundsBench;
  let conn: PubSubConnection;
  before(async () => {
    bench = await startBoundsBench();
    conn = connectPubSub(bench.component.socketPath, 'unacked');
  });
  after(async () => {
    await conn?.close();
    await bench?.close();
  });

  it(`${MESSAGES} messages of ${PAYLOAD_BYTES / 1024} KiB to a stream that never acks: peak RSS under ${RSS_BOUND_MIB} MiB, none lost`, async (t) => {
    await conn.init({ url: bench.url, consumerID: randomId('unacked'), sharedSubscriptions: 'false' });
    const topic = `${randomId('unacked')}/flood`;
    // The persistent session exists, then the stream goes away: the broker queues for it.
    const first = conn.subscribe(topic, {}, () => {});
    await first.ready();
    await first.close();
    const baseline = bench.memory();

    const t0 = Date.now();
    const publisher = await bench.directClient();
    await publishMany(publisher, topic, MESSAGES, (i) => numbered(i, PAYLOAD_BYTES));
    const publishMs = Date.now() - t0;

    // The stream comes back (same client id: the session resumes) and never acks.
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let holding = true;
    const sub = conn.subscribe(topic, {}, async () => {
      if (holding) await gate;
    });
    assert.ok(READ_AHEAD >= 1 && READ_AHEAD <= 100, `deliveryReadAhead default ${READ_AHEAD}`);
    // The stand-in handles a stream's messages one after another, as daprd does: the app holds the first.
    await sub.waitFor(() => sub.maxOutstanding >= READ_AHEAD, { timeoutMs: 20_000, what: `${READ_AHEAD} messages handed over unacked` });
    // Watch the component while the broker pushes and nothing is acked (an observation window).
    let heldRss = 0;
    await staysFalse(
      () => {
        heldRss = Math.max(heldRss, bench.memory().rssMiB);
        return false;
      },
      3_000,
      100,
    );
    assert.equal(sub.deliveries.length, 1, 'the app has the first message only');
    assert.equal(sub.maxOutstanding, READ_AHEAD, 'max unacked per stream: deliveryReadAhead (default), no more');

    // daprd recovers: every message arrives, none lost.
    const t1 = Date.now();
    holding = false;
    release();
    // A bound on loss, not on speed: the stand-in drains a few hundred 64 KiB messages a second.
    await sub.waitForAcked(MESSAGES, { timeoutMs: 80_000 });
    const drainMs = Date.now() - t1;
    const seen = new Set(sub.acked.map((d) => d.data.readUInt32BE(0)));
    assert.equal(seen.size, MESSAGES, 'messages lost: 0');
    const end = bench.memory();
    t.diagnostic(
      `published ${MESSAGES} x ${PAYLOAD_BYTES} B in ${publishMs} ms; component RSS: baseline ${mib(baseline.rssMiB)}, ` +
        `held (never acked, max sampled) ${mib(heldRss)}, peak VmHWM ${mib(end.peakMiB)} (including the drain of ${MESSAGES} in ${drainMs} ms); lost 0`,
    );
    assert.ok(heldRss < RSS_BOUND_MIB, `RSS while held ${mib(heldRss)} < ${RSS_BOUND_MIB} MiB`);
    assert.ok(end.peakMiB < RSS_BOUND_MIB, `peak RSS ${mib(end.peakMiB)} < ${RSS_BOUND_MIB} MiB`);
    await sub.close();
  });
});
