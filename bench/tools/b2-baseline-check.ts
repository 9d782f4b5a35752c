/**
 * Diagnostic for the B2 baseline question: how fast does a plain MQTT.js subscriber that holds
 * each PUBACK until a macrotask-away handler ran receive, depending on the session kind (clean
 * or persistent) and on whether the messages are fed live or were queued before it connected?
 * Runs against the bundled broker (started here in its own process, stopped by pid).
 *   node dist/bench/tools/b2-baseline-check.js [count]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import mqtt, { connectAsync, type IPublishPacket } from 'mqtt';
import { freePort, MAIN_JS, spawnNode, waitForMqtt, waitForCount, waitForSocket } from '../lib/processes.js';
import { PubSubDapr } from '../lib/dapr-client.js';
import { connectPublisher } from '../lib/mqtt-load.js';
import { waitUntilProbed, type Probed } from '../lib/probe.js';
import { startLoadPublisher, randomTopic } from '../lib/mqtt-load.js';

const count = Number(process.argv[2] ?? 20_000);

interface Holder {
  count: number;
  lastAt: number;
  end(): Promise<void>;
}

async function holder(url: string, topic: string, clean: boolean, clientId: string, subscribe: boolean): Promise<Holder> {
  const client = mqtt.connect(url, { clean, reconnectPeriod: 0, clientId });
  const h: Holder = { count: 0, lastAt: 0, end: async () => void (await client.endAsync(true)) };
  client.handleMessage = (_p: IPublishPacket, cb: () => void) => {
    setImmediate(() => {
      h.count += 1;
      h.lastAt = performance.now();
      cb();
    });
  };
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  if (subscribe) await client.subscribeAsync(topic, { qos: 1 });
  return h;
}

async function main(): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'b2check-'));
  const port = await freePort();
  const url = `mqtt://127.0.0.1:${port}`;
  const broker = spawnNode('broker', MAIN_JS, ['broker'], { MQTT_BROKER_PORT: String(port), MQTT_BROKER_HOST: '127.0.0.1', MQTT_BROKER_DATA: join(tmp, 'data'), LOG_LEVEL: 'warn' }, []);
  try {
    await waitForMqtt(broker, url);
    for (const clean of [true, false]) {
      // Live: subscribed first, then the load publisher (64 in flight) sends `count`.
      const topic = randomTopic('b2check');
      const h = await holder(url, topic, clean, `chk-${randomBytes(4).toString('hex')}`, true);
      const pub = await startLoadPublisher({ url, topics: [topic], count, payloadBytes: 1024, inflight: 64, qos: 1 });
      const done = await pub.go();
      await waitForCount(() => h.count, done.sent, 120_000);
      console.log(`live   clean=${clean}: ${Math.round(h.count / ((h.lastAt - done.startedAt) / 1000))} msg/s (publisher alone ${Math.round(done.sent / (done.ms / 1000))} msg/s)`);
      await h.end();
      await pub.stop();
    }
    // The component, one PullMessages stream acked at once (as daprd), clean and persistent session.
    const sock = join(tmp, 'sock');
    const component = spawnNode('component', MAIN_JS, [], { MQTT_BROKER: 'off', DAPR_COMPONENTS_SOCKETS_FOLDER: sock, MQTT_SOCKET_NAME: 'chk', LOG_LEVEL: 'warn' }, []);
    try {
      await import('node:fs/promises').then((f) => f.mkdir(sock, { recursive: true }));
      await waitForSocket(component, join(sock, 'chk.sock'));
      for (const clean of [true, false]) {
        const ps = new PubSubDapr(join(sock, 'chk.sock'), `chk-${clean}`);
        await ps.init({ url: `tcp://127.0.0.1:${port}`, consumerID: `chk${clean}`, cleanSession: String(clean) });
        const topic = randomTopic('b2check');
        const probed: Probed[] = [{ topic, seen: false }];
        let got = 0;
        let lastAt = 0;
        const st = ps.pull(topic, {}, (m) => ((got += 1), (lastAt = m.at)), { onProbe: () => ((probed[0] as Probed).seen = true) });
        const probe = await connectPublisher(url);
        await waitUntilProbed(probe, probed);
        await probe.endAsync();
        const pub = await startLoadPublisher({ url, topics: [topic], count, payloadBytes: 1024, inflight: 64, qos: 1 });
        const done = await pub.go();
        await waitForCount(() => got, done.sent, 120_000);
        console.log(`component clean=${clean}: ${Math.round(got / ((lastAt - done.startedAt) / 1000))} msg/s (publisher alone ${Math.round(done.sent / (done.ms / 1000))} msg/s)`);
        st.close();
        ps.close();
        await pub.stop();
      }
    } finally {
      await component.stop();
    }
    // Queued: a persistent session subscribes, goes away, `count` are queued, then it drains them.
    const topic = randomTopic('b2check');
    const id = `chkq-${randomBytes(4).toString('hex')}`;
    const first = await holder(url, topic, false, id, true);
    await first.end();
    const pub = await startLoadPublisher({ url, topics: [topic], count, payloadBytes: 1024, inflight: 64, qos: 1 });
    await pub.go();
    await pub.stop();
    const t0 = performance.now();
    const h = await holder(url, topic, false, id, false);
    await waitForCount(() => h.count, count, 120_000);
    console.log(`queued clean=false: ${Math.round(h.count / ((h.lastAt - t0) / 1000))} msg/s (drain of ${count} queued)`);
    await h.end();
    const c = await connectAsync(url, { clean: true, clientId: id, reconnectPeriod: 0 });
    await c.endAsync();
  } finally {
    await broker.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
