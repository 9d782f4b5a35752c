/**
 * A broker that stops answering (a silent network partition: the TCP proxy blackholes the link)
 * while daprd keeps publishing: at most `maxInflightPublishes` publishes hold a slot and at most
 * `maxPendingPublishes` wait for one; every further Publish fails at once with RESOURCE_EXHAUSTED
 * instead of queueing. Four waves of 5,000 concurrent Publish calls of 4 KiB: the first leaves
 * 2,048 waiting, everything else is refused at once (without the cap every wave would stay, and
 * the component grew past the bound by the third); the component's peak RSS stays under the
 * bound; when the link heals the 2,048 go through. The state store's requests are bounded the same
 * way. (What each call costs before it is refused, gRPC's own per-call state, is bounded by how
 * many calls daprd makes at once, not by the component: about 20 KB each here.)
 */
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { status, type ServiceError } from '@grpc/grpc-js';
import { randomId } from '../helpers/component-fixture.js';
import { connectPubSub } from '../helpers/daprd-harness.js';
import { mib } from '../helpers/process-memory.js';
import { connectState } from '../helpers/state-harness.js';
import { waitUntil } from '../helpers/wait.js';
import { RSS_BOUND_MIB, startBoundsBench, type BoundsBench } from './bounds-fixture.js';

const CALLS = 5_000;
/** Waves of CALLS concurrent calls: an unbounded queue would grow by each (about 140 MiB here), past the bound by the third. */
const WAVES = 4;
const PAYLOAD_BYTES = 4 * 1024;

/** Runs `calls` while sampling the component's RSS; resolves with their outcomes, the time each took, and the highest sample. */
async function sampled<T>(bench: BoundsBench, calls: Array<() => Promise<T>>): Promise<{ results: Array<{ result: PromiseSettledResult<T>; ms: number }>; maxRss: number }> {
  let maxRss = bench.memory().rssMiB;
  const timer = setInterval(() => {
    maxRss = Math.max(maxRss, bench.memory().rssMiB);
  }, 50);
  try {
    const t0 = Date.now();
    const results = await Promise.all(
      calls.map(async (call) => {
        try {
          const value = await call();
          return { result: { status: 'fulfilled', value } as PromiseSettledResult<T>, ms: Date.now() - t0 };
        } catch (reason) {
          return { result: { status: 'rejected', reason } as PromiseSettledResult<T>, ms: Date.now() - t0 };
        }
      }),
    );
    return { results, maxRss: Math.max(maxRss, bench.memory().rssMiB) };
  } finally {
    clearInterval(timer);
  }
}

const codeOf = (r: PromiseSettledResult<unknown>): number | undefined => (r.status === 'rejected' ? (r.reason as ServiceError).code : status.OK);

describe('bounded memory: publishing into a blackholed broker', () => {
  let bench: BoundsBench | undefined;
  afterEach(async () => {
    await bench?.close();
    bench = undefined;
  });
  after(async () => {
    await bench?.close();
  });

  it(`${CALLS} concurrent Publish calls of ${PAYLOAD_BYTES / 1024} KiB, ${WAVES} times: 1024 in flight and 1024 waiting, every other one RESOURCE_EXHAUSTED at once; peak RSS under ${RSS_BOUND_MIB} MiB; the waiting ones go through when the link heals`, async (t) => {
    bench = await startBoundsBench();
    const conn = connectPubSub(bench.component.socketPath, 'blackhole');
    try {
      // A publish timeout longer than the test: whatever waits, waits until the partition heals.
      await conn.init({ url: bench.url, consumerID: randomId('blackhole'), publishTimeout: '30s' });
      const topic = `${randomId('blackhole')}/t`;
      await conn.publish(topic, 'warm-up');
      const baseline = bench.memory();
      bench.proxy.cut('blackhole');
      const payload = Buffer.alloc(PAYLOAD_BYTES, 'p');
      let maxRss = baseline.rssMiB;
      const sampler = setInterval(() => (maxRss = Math.max(maxRss, bench?.memory().rssMiB ?? 0)), 50);
      try {
        const t0 = Date.now();
        const wave = (): Array<{ done: boolean; promise: Promise<PromiseSettledResult<void>>; ms: number }> =>
          Array.from({ length: CALLS }, () => {
            const entry = { done: false, ms: 0, promise: undefined as unknown as Promise<PromiseSettledResult<void>> };
            entry.promise = conn.publish(topic, payload).then(
              (value) => ({ status: 'fulfilled', value }) as const,
              (reason: unknown) => ({ status: 'rejected', reason }) as const,
            );
            void entry.promise.then(() => {
              entry.done = true;
              entry.ms = Date.now() - t0;
            });
            return entry;
          });
        const refusedAtOnce = async (calls: ReturnType<typeof wave>, expected: number): Promise<number> => {
          await waitUntil(() => calls.filter((c) => c.done).length >= expected, () => `${expected} refusals (${calls.filter((c) => c.done).length} so far)`, { timeoutMs: 20_000 });
          const settled = await Promise.all(calls.filter((c) => c.done).map((c) => c.promise));
          for (const r of settled) assert.equal(codeOf(r), status.RESOURCE_EXHAUSTED);
          return Math.max(...calls.filter((c) => c.done).map((c) => c.ms));
        };
        // Wave 1: 1024 take a slot (sent into the dead link), 1024 wait for one, 2952 are refused.
        const first = wave();
        const waveMs = [await refusedAtOnce(first, CALLS - 2048)];
        // Waves 2..n: slots and queue still full, every one is refused; nothing accumulates.
        const later: Array<ReturnType<typeof wave>> = [];
        for (let w = 1; w < WAVES; w += 1) {
          const calls = wave();
          later.push(calls);
          waveMs.push(await refusedAtOnce(calls, CALLS));
        }
        assert.equal(first.filter((c) => c.done).length, CALLS - 2048, '2048 still wait');
        const peakBlackholed = bench.memory().peakMiB;
        // The partition heals: the 2048 that waited are published.
        bench.proxy.restore();
        const waited = await Promise.all(first.filter((c) => !c.done).map((c) => c.promise));
        const ok = waited.filter((r) => r.status === 'fulfilled').length;
        const exhaustedReason = ((await later[0]?.[0]?.promise) as PromiseRejectedResult).reason as ServiceError;
        assert.match(exhaustedReason.details, /maxPendingPublishes/);
        const end = bench.memory();
        t.diagnostic(
          `component RSS: baseline ${mib(baseline.rssMiB)}, max sampled ${mib(maxRss)}, peak VmHWM ${mib(end.peakMiB)} (${mib(peakBlackholed)} while blackholed); ` +
            `wave 1: ${CALLS - 2048} RESOURCE_EXHAUSTED, waves 2-${WAVES}: ${CALLS} each, all within ${waveMs.at(-1)} ms; after the link healed ${ok}/2048 waiting publishes succeeded`,
        );
        assert.equal(ok, 2048, 'every publish that waited went through once the link healed');
        assert.ok(end.peakMiB < RSS_BOUND_MIB, `peak RSS ${mib(end.peakMiB)} < ${RSS_BOUND_MIB} MiB`);
      } finally {
        clearInterval(sampler);
      }
      await conn.publish(`${topic}-after`, 'after');
    } finally {
      await conn.close();
    }
  });

  it('3,000 concurrent state Sets into a blackholed broker: 2048 wait, the rest RESOURCE_EXHAUSTED at once; peak RSS under the bound', async (t) => {
    bench = await startBoundsBench();
    const state = connectState(bench.component.socketPath, 'blackhole-state');
    try {
      await state.init({ url: bench.url, requestTimeout: '3s' });
      await state.set('warm-up', 'x');
      bench.proxy.cut('blackhole');
      const value = Buffer.alloc(4 * 1024, 's');
      const { results, maxRss } = await sampled(
        bench,
        Array.from({ length: 3_000 }, (_, i) => () => state.set(`k${i}`, value)),
      );
      const exhausted = results.filter((r) => codeOf(r.result) === status.RESOURCE_EXHAUSTED);
      const waited = results.filter((r) => codeOf(r.result) === status.UNAVAILABLE || codeOf(r.result) === status.DEADLINE_EXCEEDED);
      const peak = bench.memory().peakMiB;
      t.diagnostic(`state: ${exhausted.length} RESOURCE_EXHAUSTED, ${waited.length} UNAVAILABLE/DEADLINE_EXCEEDED; RSS max sampled ${mib(maxRss)}, peak VmHWM ${mib(peak)}`);
      assert.equal(exhausted.length, 3_000 - 2048, 'beyond 1024 in flight and 1024 waiting, refused at once');
      assert.equal(waited.length, 2048);
      assert.match(((exhausted[0]?.result as PromiseRejectedResult).reason as ServiceError).details, /state requests/);
      assert.ok(peak < RSS_BOUND_MIB, `peak RSS ${mib(peak)} < ${RSS_BOUND_MIB} MiB`);
      bench.proxy.restore();
    } finally {
      state.close();
    }
  });
});
