/**
 * Fuzzes every RPC of the component over its real socket (test/helpers/grpc-fuzz.ts) while a
 * well-behaved "canary" app keeps publishing and consuming on another instance: the component
 * must answer every hostile call with a gRPC status (or ignore a bad ack with a log line),
 * never crash, never lose or double-deliver a canary message, and keep serving.
 * FUZZ_ITERATIONS (default 200) and FUZZ_SEED set the run; `npm run fuzz` runs 20,000.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { randomId, startFixture, type Fixture } from '../helpers/component-fixture.js';
import type { PubSubConnection, Subscription } from '../helpers/daprd-harness.js';
import { pingOk } from '../helpers/grpc-assert.js';
import { connectState, type StateConnection } from '../helpers/state-harness.js';
import { fuzzTargets, hostileRequest, pullFrame, rawPullStream, rawUnary, Rng } from '../helpers/grpc-fuzz.js';

const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 200);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

describe('fuzzed gRPC input on every RPC', () => {
  let fx: Fixture;
  let canary: PubSubConnection;
  let canarySub: Subscription;
  let goodState: StateConnection;
  let client: grpc.Client;
  before(async () => {
    fx = await startFixture({ broker: 'bundled' });
    canary = await fx.initInstance({}, 'canary');
    canarySub = canary.subscribe(fx.topic('canary'), {}, () => undefined);
    await canarySub.ready();
    await (await fx.initInstance({}, 'fuzz-pubsub')).features();
    goodState = connectState(fx.socketPath, 'fuzz-state');
    await goodState.init({ url: fx.brokerUrl });
    client = new grpc.Client(`unix:${fx.socketPath}`, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': -1, 'grpc.max_receive_message_length': -1 });
  });
  after(async () => {
    client?.close();
    goodState?.close();
    await fx?.close();
  });

  it(`${ITERATIONS} hostile calls and garbage streams: statuses only, no crash, canary messages exactly once`, async (t) => {
    t.diagnostic(`seed ${SEED} (replay with FUZZ_SEED=${SEED} FUZZ_ITERATIONS=${ITERATIONS})`);
    const rng = new Rng(SEED);
    const targets = fuzzTargets(fx.brokerUrl);
    const publishTarget = targets.find((x) => x.method === 'Publish')!;
    const byCode = new Map<string, number>();
    const byKind = new Map<string, number>();
    let canarySent = 0;
    let peakRss = process.memoryUsage().rss;
    const instanceFor = (service: string, method: string): string => {
      if (method === 'Init') return service === 'PubSub' ? 'fuzz-init' : 'fuzz-state-init';
      return service === 'PubSub' ? 'fuzz-pubsub' : 'fuzz-state';
    };

    for (let i = 0; i < ITERATIONS; i += 1) {
      const target = rng.pick(targets);
      const req = hostileRequest(rng, target);
      const callStart = Date.now();
      const out = await rawUnary(client, instanceFor(target.service, target.method), target.service, target.method, req.bytes);
      const code = Object.entries(grpc.status).find(([, v]) => v === out.code)?.[0] ?? String(out.code);
      byCode.set(code, (byCode.get(code) ?? 0) + 1);
      byKind.set(req.kind, (byKind.get(req.kind) ?? 0) + 1);
      if (process.env.FUZZ_TRACE) process.stderr.write(`${i} ${Date.now() - callStart}ms ${target.service}/${target.method} ${req.kind} ${req.bytes.length} → ${code}: ${out.details.slice(0, 160)}\n`);
      assert.notEqual(out.code, grpc.status.UNKNOWN, `${target.service}/${target.method} (${req.kind}) answered UNKNOWN: ${out.details}`);
      assert.notEqual(out.code, grpc.status.INTERNAL, `${target.service}/${target.method} (${req.kind}): bad input is not an internal error: ${out.details}`);
      if (out.code !== grpc.status.OK) assert.ok(out.details.length > 0, `${target.service}/${target.method} (${req.kind}): an error with a message`);

      if (i % 20 === 0) {
        // A garbage PullMessages stream: random frames, or a topic then unknown ids, double acks and garbage.
        const topic = fx.topic(`fz-${i}`);
        const frames =
          rng.int(2) === 0
            ? [rng.bytes(rng.int(64))]
            : [pullFrame({ topic }), pullFrame({ id: 'no-such-id' }), rng.bytes(8), pullFrame({ id: '1' }), pullFrame({ id: '1' }), pullFrame({ id: '2', error: 'nack' })];
        const stream = rawPullStream(client, 'fuzz-pubsub', frames, 150);
        await rawUnary(client, 'fuzz-pubsub', 'PubSub', 'Publish', hostileRequest(new Rng(i + 1), publishTarget).bytes);
        await stream;
        await canary.publish(fx.topic('canary'), `canary-${canarySent}`);
        canarySent += 1;
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }
    }

    await canarySub.waitForAcked(canarySent, { timeoutMs: 20_000 });
    const payloads = canarySub.acked.map((d) => d.data.toString());
    assert.deepEqual(payloads, Array.from({ length: canarySent }, (_, n) => `canary-${n}`), 'every canary message delivered once, in order');
    assert.ok(await pingOk(canary), 'the component still answers Ping');
    const k = `app||${randomId('after-fuzz')}`;
    await goodState.set(k, '"ok"');
    assert.equal((await goodState.get(k)).data?.toString(), '"ok"', 'the state store still serves');
    t.diagnostic(`calls by status: ${JSON.stringify(Object.fromEntries(byCode))}`);
    t.diagnostic(`inputs by kind: ${JSON.stringify(Object.fromEntries(byKind))}; canary ${canarySent}/${canarySent} exactly once; peak RSS of the test process ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
  });
});
