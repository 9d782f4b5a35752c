/**
 * N17: payloads of 256 KiB and 1 MiB go through Publish → broker → PullMessages intact, on the
 * bundled broker and on Mosquitto. Beyond the broker's limit (a private Mosquitto with
 * `max_packet_size`; the bundled broker has no limit below MQTT's 256 MB) the publish fails
 * with a clear, non-retriable error within publishTimeout, and the component stays connected.
 * Also: a message larger than daprd can receive (4 MiB) must not break the stream.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startFixture, randomId, type BrokerKind, type Fixture } from '../helpers/component-fixture.js';
import type { PubSubConnection } from '../helpers/daprd-harness.js';
import { grpcCodeName, pingOk } from '../helpers/grpc-assert.js';
import { connectPeer } from '../helpers/mqtt-peer.js';
import { startMosquitto, type MosquittoProcess } from '../helpers/mosquitto-process.js';
import { waitUntil } from '../helpers/wait.js';

const KiB = 1024;
const MiB = 1024 * KiB;


const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex').slice(0, 16);

for (const kind of ['bundled', 'mosquitto'] as BrokerKind[]) {
  describe(`N17: large payloads (${kind}${kind === 'mosquitto' ? ', M' : ''})`, () => {
    let fx: Fixture;
    before(async () => {
      fx = await startFixture({ broker: kind });
    });
    after(async () => {
      await fx?.close();
    });

    it('256 KiB and 1 MiB arrive intact, in order', async (t) => {
      const topic = fx.topic('n17');
      // cleanSession on the shared Mosquitto: leave no persistent session behind.
      const conn = await fx.initInstance({ publishTimeout: '20s', cleanSession: kind === 'mosquitto' ? 'true' : 'false' });
      const sub = conn.subscribe(topic, {}, () => {});
      await sub.ready();
      const payloads = [256 * KiB, MiB].map((size) => randomBytes(size));
      for (const p of payloads) {
        const t0 = Date.now();
        await conn.publish(topic, p);
        t.diagnostic(`${kind}: publish of ${p.length} bytes acked in ${Date.now() - t0} ms`);
      }
      await sub.waitForAcked(payloads.length, { timeoutMs: 20_000 });
      assert.equal(sub.deliveries.length, payloads.length, 'no extra deliveries');
      payloads.forEach((p, i) => {
        const got = sub.acked[i]?.data ?? Buffer.alloc(0);
        assert.equal(got.length, p.length, `payload ${i}: length`);
        assert.equal(sha(got), sha(p), `payload ${i}: content`);
      });
    });
  });
}

describe('N17: beyond the broker limit (private Mosquitto, max_packet_size 512 KiB)', () => {
  let mosquitto: MosquittoProcess;
  let fx: Fixture;
  let conn: PubSubConnection;
  let url: string;
  before(async () => {
    mosquitto = await startMosquitto({ extraConfig: ['max_packet_size 524288'] });
    url = `tcp://127.0.0.1:${mosquitto.port}`;
    // The fixture provides the component server; the instance is pointed at the private broker.
    fx = await startFixture({ broker: 'bundled' });
    conn = fx.connect();
    // maxPublishSize set to the broker's limit, as docs/configuration.md tells operators to.
    await conn.init({ url, consumerID: randomId('n17-limit'), publishTimeout: '3s', connectTimeout: '3s', maxPublishSize: '524288' });
  });
  after(async () => {
    await fx?.close();
    await mosquitto?.close();
  });

  it('a 1 MiB publish fails with a clear non-retriable error; the component stays connected', async (t) => {
    const topic = `${randomId('n17')}/limit`;
    const sub = conn.subscribe(topic, {}, () => {});
    await sub.ready();
    const t0 = Date.now();
    let error: unknown;
    let bigDone = false;
    const big = conn.publish(topic, randomBytes(MiB)).then(
      () => undefined,
      (err: unknown) => {
        error = err;
      },
    );
    const bigSettled = big.finally(() => (bigDone = true));
    // Meanwhile the app keeps publishing small messages on the same instance.
    const side = { ok: 0, failed: [] as string[] };
    for (let i = 0; !bigDone || i === 0; i++) {
      try {
        await conn.publish(topic, `side-${i}`);
        side.ok += 1;
      } catch (err) {
        side.failed.push(`${grpcCodeName(err)}`);
      }
    }
    await bigSettled;
    const elapsed = Date.now() - t0;
    const message = error instanceof Error ? error.message : String(error);
    // Facts first, assertions at the end, so a failure report shows all of them.
    const pingRightAfter = await pingOk(conn);
    const recoverStart = Date.now();
    await waitUntil(() => pingOk(conn), () => 'Ping to succeed again after the oversized publish', { timeoutMs: 20_000, intervalMs: 50 });
    const recoveredMs = Date.now() - recoverStart;
    await conn.publish(topic, 'small-after');
    await sub.waitFor(() => sub.deliveries.some((d) => d.data.toString() === 'small-after'), { what: 'the small message after the oversized one' });
    const drops = mosquitto.log.split('\n').filter((l) => /oversize packet/i.test(l)).length;
    t.diagnostic(`oversized publish: ${error === undefined ? 'SUCCEEDED' : `${grpcCodeName(error)} "${message}"`} after ${elapsed} ms`);
    t.diagnostic(`small publishes meanwhile: ${side.ok} ok, ${side.failed.length} failed (${[...new Set(side.failed)].join(',')})`);
    t.diagnostic(`broker dropped the publisher link ${drops} time(s) for an oversize packet; Ping right after: ${pingRightAfter ? 'ok' : 'failing'}; Ping ok again after ${recoveredMs} ms`);

    assert.ok(sub.deliveries.every((d) => d.data.length < MiB), 'the oversized message is not delivered');
    assert.notEqual(error, undefined, 'a publish the broker cannot take must not report success');
    assert.ok(elapsed < 3_000 + 2_000, `it fails within publishTimeout (took ${elapsed} ms)`);
    const code = grpcCodeName(error);
    assert.ok(
      ['INVALID_ARGUMENT', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'INTERNAL'].includes(code),
      `a message too large for the broker is not retriable: expected a non-UNAVAILABLE error, got ${code}: ${message}`,
    );
    assert.match(message, /size|large|limit/i, 'the error says the message is too large');
    assert.ok(pingRightAfter, 'the component stays connected: Ping answers right after the rejected publish');
    assert.deepEqual(side.failed, [], 'other publishes meanwhile are not disturbed');
  });
});

describe('N17: a message larger than daprd can receive does not break the stream', () => {
  let fx: Fixture;
  before(async () => {
    fx = await startFixture({ broker: 'bundled' });
  });
  after(async () => {
    await fx?.close();
  });

  it('a 5 MiB message from another MQTT client: the stream survives and later messages arrive', async (t) => {
    const topic = fx.topic('n17-huge');
    const conn = await fx.initInstance();
    const sub = conn.subscribe(topic, {}, () => {});
    await sub.ready();
    const peer = await connectPeer(fx.brokerUrl);
    try {
      // daprd's gRPC client takes at most 4 MiB per message (the harness has the same default).
      await peer.publish(topic, randomBytes(5 * MiB), { qos: 1 });
      await peer.publish(topic, 'after-huge', { qos: 1 });
      await sub.waitFor(
        () => sub.deliveries.some((d) => d.data.toString() === 'after-huge') || sub.serverEnd !== undefined,
        { timeoutMs: 15_000, what: 'the message after the huge one (or the stream to end)' },
      );
      t.diagnostic(
        `deliveries: ${sub.deliveries.map((d) => `${d.data.length}B`).join(',')}; stream ended by server: ${
          sub.serverEnd ? `yes (${sub.serverEnd.error?.message ?? 'OK'})` : 'no'
        }`,
      );
      assert.equal(sub.serverEnd, undefined, 'the stream must survive a message daprd cannot receive');
      assert.ok(sub.deliveries.some((d) => d.data.toString() === 'after-huge'), 'later messages still arrive');
      await conn.ping();
    } finally {
      await peer.close();
    }
  });
});
