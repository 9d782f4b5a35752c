/**
 * B2: delivery throughput through PullMessages streams to a daprd-like client that acks each
 * message the moment it arrives (serially, as daprd: the component sends the next only after
 * the ack), fed by the plain MQTT.js load publisher on the bundled broker. Baseline: plain
 * MQTT.js subscribers (persistent session, QoS 1, as the component's default) that hold each
 * PUBACK until a handler a macrotask away has returned, fed by the same publisher.
 * Scaling: payload (one stream) and number of streams (1 KiB).
 */
import type { PubSubDapr, PullStream } from '../lib/dapr-client.js';
import { compare, type Series, type Side } from '../lib/measure.js';
import { connectPublisher, randomTopic, startHoldingSubscriber, startLoadPublisher, type Counter } from '../lib/mqtt-load.js';
import { waitUntilProbed, type Probed } from '../lib/probe.js';
import { sampleRss, waitForCount } from '../lib/processes.js';
import { notePeak, row, type BenchContext, type Row } from '../lib/context.js';
import type { ScalingPoint } from './b1-publish.js';

const SIZING = { warmup: 1_000, min: 1_000, max: 100_000, smoke: 100 };
const DELIVERY_TIMEOUT_MS = 120_000;

export interface B2Result {
  readonly rows: Row[];
  readonly scaling: ScalingPoint[];
  readonly raw: Record<string, Record<string, Series>>;
}

/** Through the component: `streams` PullMessages streams, one topic each. */
export function viaComponent(ctx: BenchContext, pubsub: PubSubDapr, streams: number, payloadBytes: number, rssPhase?: string): Side {
  return async (n) => {
    const topics = Array.from({ length: streams }, () => randomTopic('b2'));
    const probed: Probed[] = topics.map((topic) => ({ topic, seen: false }));
    let received = 0;
    let lastAt = 0;
    const open: PullStream[] = topics.map((topic, i) =>
      pubsub.pull(
        topic,
        {},
        (m) => {
          received += 1;
          lastAt = m.at;
        },
        { onProbe: () => ((probed[i] as Probed).seen = true) },
      ),
    );
    const probe = await connectPublisher(ctx.deploy.brokerUrl);
    let pub: Awaited<ReturnType<typeof startLoadPublisher>> | undefined;
    try {
      await waitUntilProbed(probe, probed);
      pub = await startLoadPublisher({ url: ctx.deploy.brokerUrl, topics, count: n, payloadBytes, inflight: 64, qos: 1 });
      const rss = rssPhase ? sampleRss(ctx.deploy.component.pid) : undefined;
      const done = await pub.go();
      await waitForCount(() => received, done.sent, DELIVERY_TIMEOUT_MS);
      if (rss && rssPhase) notePeak(ctx, rssPhase, await rss.stop());
      const ms = lastAt - done.startedAt;
      return { value: received / (ms / 1000), n, ms, extra: { received, publisherMsgPerSec: done.sent / (done.ms / 1000) } };
    } finally {
      for (const s of open) s.close();
      await pub?.stop();
      await probe.endAsync();
    }
  };
}

/** Plain MQTT.js subscribers holding each PUBACK until the handler (a macrotask away) returns. */
function viaMqttjs(ctx: BenchContext, streams: number, payloadBytes: number, clean = false): Side {
  return async (n) => {
    const url = ctx.deploy.brokerUrl;
    const topics = Array.from({ length: streams }, () => randomTopic('b2base'));
    const subs: Counter[] = [];
    let pub: Awaited<ReturnType<typeof startLoadPublisher>> | undefined;
    try {
      for (const t of topics) subs.push(await startHoldingSubscriber(url, t, clean));
      const total = (): number => subs.reduce((a, s) => a + s.count, 0);
      pub = await startLoadPublisher({ url, topics, count: n, payloadBytes, inflight: 64, qos: 1 });
      const done = await pub.go();
      await waitForCount(total, done.sent, DELIVERY_TIMEOUT_MS);
      const lastAt = Math.max(...subs.map((s) => s.lastAt));
      const ms = lastAt - done.startedAt;
      return { value: total() / (ms / 1000), n, ms, extra: { received: total(), publisherMsgPerSec: done.sent / (done.ms / 1000) } };
    } finally {
      await pub?.stop();
      await Promise.all(subs.map((s) => s.end()));
    }
  };
}

export async function runB2(ctx: BenchContext): Promise<B2Result> {
  const { deploy, settings } = ctx;
  const raw: Record<string, Record<string, Series>> = {};
  const rows: Row[] = [];
  const scaling: ScalingPoint[] = [];
  const run = async (label: string, streams: number, payloadBytes: number, rssPhase?: string): Promise<Record<string, Series>> => {
    const key = `${payloadBytes}B-${streams}`;
    raw[key] ??= await compare(
      label,
      { ours: viaComponent(ctx, deploy.pubsub, streams, payloadBytes, rssPhase), mqttjs: viaMqttjs(ctx, streams, payloadBytes) },
      SIZING,
      settings,
    );
    return raw[key];
  };
  for (const streams of [1, 8]) {
    const r = await run(`B2 delivery 1 KiB, ${streams} stream(s)`, streams, 1024, 'B2');
    rows.push(
      row({
        id: streams === 1 ? 'B2' : 'B2 ×8',
        what: `Delivery, 1 KiB, ${streams} PullMessages stream${streams === 1 ? '' : 's'} acked at once (serial), fed by a plain MQTT.js publisher (bundled broker)`,
        unit: 'msg/s',
        ours: r.ours!.median,
        baselineName: `plain MQTT.js subscriber${streams === 1 ? '' : 's'}, PUBACK after a macrotask handler`,
        baseline: r.mqttjs!.median,
        target: { op: '>=', value: 0.7 },
      }),
    );
  }
  // Both sides on clean sessions: the bundled broker then stores nothing per message, and what
  // remains is the component's own delivery path (one message per stream round trip).
  const clean = await compare(
    'B2 delivery 1 KiB, 1 stream, clean sessions',
    { ours: viaComponent(ctx, deploy.pubsubClean, 1, 1024), mqttjs: viaMqttjs(ctx, 1, 1024, true) },
    SIZING,
    settings,
  );
  raw['1KiB-1-clean'] = clean;
  rows.push(
    row({
      id: 'B2 clean',
      what: 'B2 with cleanSession=true on both sides (the broker stores no session state per message): the component\'s own delivery limit',
      unit: 'msg/s',
      ours: clean.ours!.median,
      baselineName: 'plain MQTT.js subscriber, clean session, PUBACK after a macrotask handler',
      baseline: clean.mqttjs!.median,
      note: 'diagnostic: B2 with persistent sessions is bounded by the bundled broker for both sides',
    }),
  );
  const noShare = await compare('B2 delivery 1 KiB, 1 stream, sharedSubscriptions=false', { ours: viaComponent(ctx, deploy.pubsubNoShare, 1, 1024) }, SIZING, settings);
  raw['1KiB-1-noshare'] = noShare;
  rows.push(
    row({
      id: 'B2 no $share',
      what: 'B2 with sharedSubscriptions=false (plain topic filter instead of $share/<consumerID>/...)',
      unit: 'msg/s',
      ours: noShare.ours!.median,
      baselineName: 'plain MQTT.js subscriber (from B2)',
      baseline: raw['1024B-1']!.mqttjs!.median,
      note: 'diagnostic: what $share costs on the bundled broker',
    }),
  );
  if (ctx.scaling) {
    for (const payloadBytes of [100, 1024, 65_536]) {
      const r = await run(`B2 delivery ${payloadBytes} B, 1 stream`, 1, payloadBytes);
      scaling.push({ series: 'payload', payloadBytes, streams: 1, ours: r.ours!.median, baseline: r.mqttjs!.median, ratio: r.ours!.median / r.mqttjs!.median });
    }
    for (const streams of [1, 4, 16]) {
      const r = await run(`B2 delivery 1 KiB, ${streams} stream(s)`, streams, 1024);
      scaling.push({ series: 'streams', payloadBytes: 1024, streams, ours: r.ours!.median, baseline: r.mqttjs!.median, ratio: r.ours!.median / r.mqttjs!.median });
    }
  }
  return { rows, scaling, raw };
}
