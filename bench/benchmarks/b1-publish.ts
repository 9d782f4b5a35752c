/**
 * B1: Publish, QoS 1, through the component (h2load, one connection, `streams` concurrent
 * streams), counted as arrivals at a plain MQTT subscriber on the bundled broker. Baseline: the
 * no-op component under the same generator. Reference: a plain MQTT.js publisher with 64 in
 * flight to the same broker, counted the same way. Scaling: payload and concurrent streams.
 */
import { randomBytes } from 'node:crypto';
import { INSTANCES } from '../lib/deploy.js';
import { runH2load, writeBody } from '../lib/h2load.js';
import { compare, type Series, type Side } from '../lib/measure.js';
import { randomTopic, startCounter, startLoadPublisher } from '../lib/mqtt-load.js';
import { sampleRss, waitForCount } from '../lib/processes.js';
import { PUBSUB_SERVICE, publishFrame } from '../lib/protos.js';
import { notePeak, row, type BenchContext, type Row } from '../lib/context.js';

const PUBLISH = `${PUBSUB_SERVICE}/Publish`;
/** A Publish response: an empty PublishResponse in a 5-byte gRPC frame. */
const PUBLISH_RESPONSE_BYTES = 5;
const SIZING = { warmup: 2_000, min: 1_000, max: 200_000, smoke: 200 };
/** How long arrivals may trail the last acknowledged Publish. */
const ARRIVAL_GRACE_MS = 30_000;

export interface ScalingPoint {
  readonly series: 'payload' | 'streams';
  readonly payloadBytes: number;
  readonly streams: number;
  readonly ours: number;
  readonly baseline: number;
  readonly ratio: number;
}

export interface B1Result {
  readonly rows: Row[];
  readonly scaling: ScalingPoint[];
  readonly raw: Record<string, Record<string, Series>>;
}

/** Publish through a component socket (ours, or the no-op when `arrivals` is false). */
function viaGrpc(
  ctx: BenchContext,
  socketPath: string,
  payloadBytes: number,
  streams: number,
  arrivals: boolean,
  rssPhase?: string,
  target: { instance: string; brokerUrl: string } = { instance: INSTANCES.pubsub, brokerUrl: ctx.deploy.brokerUrl },
): Side {
  const h2load = ctx.h2load as string;
  return async (n) => {
    const topic = randomTopic('b1');
    const bodyFile = await writeBody(ctx.tmp, `b1-${randomBytes(4).toString('hex')}.bin`, publishFrame(topic, Buffer.alloc(payloadBytes, 0x61)));
    const counter = arrivals ? await startCounter(target.brokerUrl, topic) : undefined;
    const rss = rssPhase ? sampleRss(ctx.deploy.component.pid) : undefined;
    try {
      const h = await runH2load({ h2load, socketPath, method: PUBLISH, bodyFile, instance: target.instance, requests: n, streams });
      const ok = Math.floor(h.dataBytes / PUBLISH_RESPONSE_BYTES);
      const extra = { grpcFailures: n - ok, h2loadReqPerSec: h.reqPerSec };
      if (!counter) return { value: ok / (h.wallMs / 1000), n, ms: h.wallMs, extra };
      await waitForCount(() => counter.count, ok, ARRIVAL_GRACE_MS);
      const end = Math.max(h.endedAt, counter.lastAt);
      const ms = end - h.startedAt;
      return { value: counter.count / (ms / 1000), n, ms, extra: { ...extra, arrived: counter.count, lost: ok - counter.count } };
    } finally {
      if (rss && rssPhase) notePeak(ctx, rssPhase, await rss.stop());
      await counter?.end();
    }
  };
}

/** A plain MQTT.js publisher, 64 in flight, to `url`, counted at a subscriber there. */
export function mqttjsPublisher(ctx: BenchContext, url: string, payloadBytes: number): Side {
  return async (n) => {
    const topic = randomTopic('ref');
    const counter = await startCounter(url, topic);
    const pub = await startLoadPublisher({ url, topics: [topic], count: n, payloadBytes, inflight: 64, qos: 1 });
    try {
      const done = await pub.go();
      await waitForCount(() => counter.count, done.sent, ARRIVAL_GRACE_MS);
      const ms = Math.max(counter.lastAt, done.startedAt + done.ms) - done.startedAt;
      return { value: counter.count / (ms / 1000), n, ms, extra: { arrived: counter.count, publishFailures: done.failed } };
    } finally {
      await pub.stop();
      await counter.end();
    }
  };
}

export async function runB1(ctx: BenchContext): Promise<B1Result> {
  const { deploy, settings } = ctx;
  const raw: Record<string, Record<string, Series>> = {};
  const main = await compare(
    'B1 publish 1 KiB, 64 streams',
    {
      ours: viaGrpc(ctx, deploy.socketPath, 1024, 64, true, 'B1'),
      noop: viaGrpc(ctx, deploy.noopSocketPath, 1024, 64, false),
      mqttjs: mqttjsPublisher(ctx, deploy.brokerUrl, 1024),
    },
    SIZING,
    settings,
  );
  raw['1KiB-64'] = main;
  const rows: Row[] = [
    row({
      id: 'B1',
      what: 'Publish QoS 1, 1 KiB, h2load -c1 -m64, counted as arrivals at a plain MQTT subscriber (bundled broker)',
      unit: 'msg/s',
      ours: main.ours!.median,
      baselineName: 'no-op component',
      baseline: main.noop!.median,
      target: { op: '>=', value: 0.8 },
      references: [{ name: 'plain MQTT.js publisher, 64 in flight', value: main.mqttjs!.median }],
    }),
  ];

  if (deploy.pubsubMosquitto) {
    // Diagnostic: the same generator and component, publishing to Mosquitto (a broker that is not
    // the bottleneck), counted there: what the component itself costs.
    const viaMosquitto = await compare(
      'B1 publish 1 KiB, 64 streams, to Mosquitto',
      {
        ours: viaGrpc(ctx, deploy.socketPath, 1024, 64, true, undefined, { instance: INSTANCES.pubsubMosquitto, brokerUrl: ctx.mosquittoUrl }),
        mqttjs: mqttjsPublisher(ctx, ctx.mosquittoUrl, 1024),
      },
      SIZING,
      settings,
    );
    raw['1KiB-64-mosquitto'] = viaMosquitto;
    rows.push(
      row({
        id: 'B1 Mosquitto',
        what: 'B1 with the component publishing to Mosquitto (127.0.0.1:1883), counted there',
        unit: 'msg/s',
        ours: viaMosquitto.ours!.median,
        baselineName: 'no-op component (from B1)',
        baseline: main.noop!.median,
        references: [{ name: 'plain MQTT.js publisher → Mosquitto, 64 in flight', value: viaMosquitto.mqttjs!.median }],
        note: 'diagnostic: the component without the bundled broker as its bottleneck',
      }),
    );
  }

  const scaling: ScalingPoint[] = [];
  const point = (series: 'payload' | 'streams', payloadBytes: number, streams: number, r: Record<string, Series>): void => {
    scaling.push({ series, payloadBytes, streams, ours: r.ours!.median, baseline: r.noop!.median, ratio: r.ours!.median / r.noop!.median });
  };
  if (ctx.scaling) {
    for (const payloadBytes of [100, 1024, 65_536]) {
      const r =
        payloadBytes === 1024
          ? main
          : await compare(
              `B1 publish ${payloadBytes} B, 64 streams`,
              { ours: viaGrpc(ctx, deploy.socketPath, payloadBytes, 64, true), noop: viaGrpc(ctx, deploy.noopSocketPath, payloadBytes, 64, false) },
              SIZING,
              settings,
            );
      raw[`${payloadBytes}B-64`] = r;
      point('payload', payloadBytes, 64, r);
    }
    for (const streams of [1, 4, 16]) {
      const r = await compare(
        `B1 publish 1 KiB, ${streams} streams`,
        { ours: viaGrpc(ctx, deploy.socketPath, 1024, streams, true), noop: viaGrpc(ctx, deploy.noopSocketPath, 1024, streams, false) },
        SIZING,
        settings,
      );
      raw[`1KiB-${streams}`] = r;
      point('streams', 1024, streams, r);
    }
  }
  return { rows, scaling, raw };
}
