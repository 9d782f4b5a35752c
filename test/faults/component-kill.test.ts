/**
 * The COMPONENT process (the subscriber side, `node dist/src/main.js`) is killed with kill -9
 * mid-stream, then a new one is started on the same socket folder. A plain MQTT.js peer keeps
 * publishing 300 numbered QoS 1 messages straight to the broker the whole time. The restarted
 * component resumes the same persistent session (fixed consumerID + clientId, cleanSession
 * default false), so every number must be acked by the app at least once across both streams:
 * lost must be 0. Duplicates (the message in flight at the kill, at least once) are reported
 * only. Runs against the bundled broker and against Mosquitto (fails, naming it, when unreachable).
 * Figures are printed with t.diagnostic.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
import { connectAsync } from 'mqtt';
import { publisherClientId, subscriberClientId } from '../../src/pubsub/client-ids.js';
import { killAllComponentProcesses, startComponentProcess, type ComponentProcess } from '../helpers/component-process.js';
import { isReachable, MOSQUITTO_URL, startFixture, type BrokerKind, type Fixture } from '../helpers/component-fixture.js';
import { connectPubSub, type Delivery, type PubSubConnection, type Subscription } from '../helpers/daprd-harness.js';
import { waitUntil } from '../helpers/wait.js';
import { mosquittoUnreachable, requirePeer } from '../helpers/require-peer.js';

const TOTAL = 300;
const KILL_AFTER_ACKED = 100;
const BATCH = 10;
/** The app's tiny await before each ack (ms): slow enough that messages are in flight at the kill. */
const HANDLER_MS = 4;
/** Before the kill the peer stays at most this far ahead of the app, so the kill lands mid-stream. */
const MAX_AHEAD = 40;

/** Ends the persistent sessions `clientIds` left on the broker: connect with clean: true, then leave. */
async function wipeSessions(url: string, clientIds: string[]): Promise<void> {
  for (const clientId of clientIds) {
    const client = await connectAsync(url, { clientId, clean: true, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5_000 });
    await client.endAsync();
  }
}

describe('component process killed with kill -9 mid-stream, then restarted on the same socket folder', () => {
  const procs: ComponentProcess[] = [];
  const connections: PubSubConnection[] = [];
  const fixtures: Fixture[] = [];
  const folders: string[] = [];

  after(async () => {
    await Promise.allSettled(connections.map((c) => c.close()));
    // Every child this file started, by pid.
    for (const p of procs) await p.kill().catch(() => undefined);
    await killAllComponentProcesses();
    await Promise.allSettled(fixtures.map((f) => f.close()));
    for (const d of folders) await rm(d, { recursive: true, force: true });
  });

  async function scenario(t: TestContext, kind: BrokerKind): Promise<void> {
    const fixture = await startFixture({ broker: kind });
    fixtures.push(fixture);
    const url = fixture.brokerUrl;
    const folder = await mkdtemp(path.join(tmpdir(), 'dmq-ck-'));
    folders.push(folder);
    const instance = fixture.uid('ck-inst');
    const consumerID = fixture.uid('ck-consumer');
    const clientId = fixture.uid('ck-client');
    const topic = fixture.topic('orders');
    const initMeta = { url, consumerID, clientId, qos: '1' };
    const handler = async (): Promise<void> => {
      await new Promise((r) => setTimeout(r, HANDLER_MS));
    };
    const subClientId = subscriberClientId(clientId, `$share/${consumerID}/${topic}`, 0);
    const pubClientId = publisherClientId(clientId);

    try {
      // First component process.
      const proc1 = await startComponentProcess({ socketFolder: folder });
      procs.push(proc1);
      const c1 = connectPubSub(proc1.socketPath, instance);
      connections.push(c1);
      await c1.init(initMeta);
      await c1.features();
      const sub1 = c1.subscribe(topic, {}, handler);
      await sub1.ready();

      const subs: Subscription[] = [sub1];
      const seqOf = (d: Delivery): number => Number(d.data.toString('utf8').replace(/^ck-/, ''));
      const allAcked = (): Delivery[] => subs.flatMap((s) => [...s.acked]);
      const ackedSet = (): Set<number> => new Set(allAcked().map(seqOf));

      // The peer publishes in the background, throttled before the kill only.
      const peer = await fixture.peer();
      let killed = false;
      let next = 1;
      let publishedAtKill = 0;
      const publishErrors: string[] = [];
      const startedAt = Date.now();
      const publisher = (async () => {
        while (next <= TOTAL) {
          if (!killed && next - 1 - sub1.acked.length >= MAX_AHEAD) {
            await new Promise((r) => setTimeout(r, 5));
            continue;
          }
          const batch: Promise<void>[] = [];
          for (let i = 0; i < BATCH && next <= TOTAL; i++) {
            const seq = next++;
            batch.push(peer.publish(topic, `ck-${seq}`, { qos: 1 }).catch((err: Error) => void publishErrors.push(`#${seq}: ${err.message}`)));
          }
          await Promise.all(batch);
          if (killed) await new Promise((r) => setTimeout(r, 5));
        }
      })();

      await sub1.waitForAcked(KILL_AFTER_ACKED, { timeoutMs: 15_000 });
      const ackedAtKill = new Set(sub1.acked.map(seqOf)).size;
      publishedAtKill = next - 1;
      killed = true;
      const killedAt = Date.now();
      const exit = await proc1.kill();
      assert.equal(exit.signal, 'SIGKILL');
      const staleSocketLeft = existsSync(proc1.socketPath);
      // The harness stream breaks: what daprd would see.
      await sub1.waitFor(() => sub1.serverEnd !== undefined, { timeoutMs: 5_000, what: 'stream broken by the kill' }).catch(() => undefined);
      const streamBroken = sub1.serverEnd !== undefined;
      await c1.close();

      // Restart on the SAME socket folder (the stale socket file must not stop it).
      const proc2 = await startComponentProcess({ socketFolder: folder });
      procs.push(proc2);
      const restartMs = Date.now() - killedAt;
      const c2 = connectPubSub(proc2.socketPath, instance);
      connections.push(c2);
      await c2.init(initMeta);
      await c2.features();
      const sub2 = c2.subscribe(topic, {}, handler);
      subs.push(sub2);

      await publisher;
      const publishedMs = Date.now() - startedAt;
      let waitError: Error | undefined;
      try {
        await waitUntil(
          () => ackedSet().size >= TOTAL,
          () => `all ${TOTAL} acked (missing ${[...Array(TOTAL).keys()].map((i) => i + 1).filter((s) => !ackedSet().has(s)).slice(0, 20).join(',')})`,
          { timeoutMs: 20_000, intervalMs: 50 },
        );
      } catch (err) {
        waitError = err as Error;
      }
      const allAckedMs = Date.now() - killedAt;

      const acked = ackedSet();
      const counts = new Map<number, number>();
      for (const d of allAcked()) counts.set(seqOf(d), (counts.get(seqOf(d)) ?? 0) + 1);
      const duplicated = [...counts.entries()].filter(([, n]) => n > 1);
      const lost: number[] = [];
      for (let s = 1; s <= TOTAL; s++) if (!acked.has(s)) lost.push(s);
      const strays = [...counts.keys()].filter((s) => !(s >= 1 && s <= TOTAL));

      t.diagnostic(
        `[${kind}] published ${next - 1 - publishErrors.length} (errors ${publishErrors.length}), acked by the app ${acked.size} distinct ` +
          `(${sub1.acked.length} before the kill + ${sub2.acked.length} after the restart), lost ${lost.length}, ` +
          `duplicated ${duplicated.length} (extra deliveries ${duplicated.reduce((n, [, c]) => n + c - 1, 0)}), ` +
          `stale socket handled ${staleSocketLeft ? 'yes (socket file left by kill -9, restart succeeded)' : 'n/a (no socket file left)'}`,
      );
      t.diagnostic(
        `[${kind}] acked when kill -9 was sent ${ackedAtKill}, published at kill ${publishedAtKill}; harness stream broken by the kill ${streamBroken ? 'yes' : 'no'}; ` +
          `restart (socket accepting) ${restartMs} ms after the kill; publishing took ${publishedMs} ms; all acked ${allAckedMs} ms after the kill; ` +
          `max outstanding ${sub1.maxOutstanding}/${sub2.maxOutstanding}`,
      );
      if (lost.length > 0) t.diagnostic(`[${kind}] lost: ${lost.slice(0, 50).join(',')}`);
      if (duplicated.length > 0) t.diagnostic(`[${kind}] duplicated: ${duplicated.slice(0, 50).map(([s, n]) => `${s}x${n}`).join(',')}`);

      assert.deepEqual(publishErrors, [], 'every peer publish succeeds (the broker stays up)');
      assert.deepEqual(strays, [], 'only the numbered messages reach the app');
      assert.equal(lost.length, 0, `no message may be lost${waitError ? `: ${waitError.message}` : ''}`);
      assert.ok(streamBroken, 'the harness stream broke when the component was killed');
      assert.equal(sub2.serverEnd, undefined, 'the restarted component never ends the stream');

      await c2.close();
      const exit2 = await proc2.stop();
      assert.deepEqual(exit2, { code: 0, signal: null }, `restarted component exits cleanly; stderr: ${proc2.stderr.slice(-1000)}`);
    } finally {
      // The persistent sessions survive on the shared Mosquitto: wipe them.
      if (kind === 'mosquitto') {
        for (const p of procs) await p.kill().catch(() => undefined);
        await wipeSessions(url, [subClientId, pubClientId]).catch((err: Error) => t.diagnostic(`session wipe failed: ${err.message}`));
      }
    }
  }

  it('bundled broker: nothing lost across kill -9 and restart of the component', async (t) => {
    await scenario(t, 'bundled');
  });

  it('Mosquitto: nothing lost across kill -9 and restart of the component', async (t) => {
    requirePeer((await isReachable(MOSQUITTO_URL)) ? false : mosquittoUnreachable(MOSQUITTO_URL));
    await scenario(t, 'mosquitto');
  });
});
