/**
 * B3: latency from publish to delivery at a fixed rate (open loop, 2,000 msg/s by default),
 * 1 KiB messages carrying their send time. Ours: Publish over gRPC to the component, through
 * the bundled broker, back through the component's PullMessages stream to the daprd-like
 * client. Baseline: plain MQTT.js publisher → bundled broker → plain MQTT.js subscriber (same
 * session kind as the component's default). Both ends of each path live in the bench process,
 * so send and arrival times come from one clock.
 */
import { compare, type Series, type Side } from '../lib/measure.js';
import { connectPublisher, randomTopic, startHoldingSubscriber } from '../lib/mqtt-load.js';
import { waitUntilProbed, type Probed } from '../lib/probe.js';
import { waitForCount } from '../lib/processes.js';
import { percentile } from '../lib/stats.js';
import { row, type BenchContext, type Row } from '../lib/context.js';

const PAYLOAD_BYTES = 1024;
const DRAIN_TIMEOUT_MS = 30_000;

export interface B3Result {
  readonly rows: Row[];
  readonly raw: Record<string, Series>;
}

function stamped(): Buffer {
  const b = Buffer.alloc(PAYLOAD_BYTES, 0x63);
  b.writeDoubleLE(performance.now(), 0);
  return b;
}

/** Sends `count` messages at `rate` per second (catching up in small bursts after a late timer). */
async function paced(count: number, rate: number, send: () => void): Promise<void> {
  const start = performance.now();
  let sent = 0;
  while (sent < count) {
    const due = Math.min(count, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    while (sent < due) {
      send();
      sent += 1;
    }
    await new Promise((r) => setTimeout(r, 1));
  }
}

function latencySample(latencies: number[], n: number, ms: number, failures: number): { value: number; n: number; ms: number; extra: Record<string, number> } {
  return {
    value: percentile(latencies, 50),
    n,
    ms,
    extra: { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99), max: percentile(latencies, 100), received: latencies.length, failures },
  };
}

function viaComponent(ctx: BenchContext): Side {
  return async (n) => {
    const { pubsub, brokerUrl } = ctx.deploy;
    const topic = randomTopic('b3');
    const probed: Probed = { topic, seen: false };
    const latencies: number[] = [];
    const stream = pubsub.pull(topic, {}, (m) => latencies.push(m.at - m.data.readDoubleLE(0)), { onProbe: () => (probed.seen = true) });
    const probe = await connectPublisher(brokerUrl);
    try {
      await waitUntilProbed(probe, [probed]);
      let failures = 0;
      const started = performance.now();
      await paced(n, ctx.latency.rate, () => {
        pubsub.publish(topic, stamped()).catch(() => (failures += 1));
      });
      await waitForCount(() => latencies.length + failures, n, DRAIN_TIMEOUT_MS);
      return latencySample(latencies, n, performance.now() - started, failures);
    } finally {
      stream.close();
      await probe.endAsync();
    }
  };
}

function viaMqttjs(ctx: BenchContext): Side {
  return async (n) => {
    const url = ctx.deploy.brokerUrl;
    const topic = randomTopic('b3base');
    const latencies: number[] = [];
    const sub = await startHoldingSubscriber(url, topic);
    sub.onMessage = (payload, at) => latencies.push(at - payload.readDoubleLE(0));
    const pub = await connectPublisher(url);
    try {
      let failures = 0;
      const started = performance.now();
      await paced(n, ctx.latency.rate, () => {
        pub.publish(topic, stamped(), { qos: 1 }, (err) => {
          if (err) failures += 1;
        });
      });
      await waitForCount(() => latencies.length + failures, n, DRAIN_TIMEOUT_MS);
      return latencySample(latencies, n, performance.now() - started, failures);
    } finally {
      await pub.endAsync();
      await sub.end();
    }
  };
}

export async function runB3(ctx: BenchContext): Promise<B3Result> {
  const count = Math.round(ctx.latency.rate * ctx.latency.seconds);
  const r = await compare(
    `B3 latency at ${ctx.latency.rate} msg/s`,
    { ours: viaComponent(ctx), mqttjs: viaMqttjs(ctx) },
    { warmup: count, min: count, max: count, smoke: Math.max(50, Math.round(ctx.latency.rate * 0.25)), fixed: count },
    ctx.settings,
  );
  const what = (p: string): string => `Latency publish → delivered, ${p}, 1 KiB at a fixed ${ctx.latency.rate} msg/s (bundled broker)`;
  const rows = (['p50', 'p99'] as const).map((p) =>
    row({
      id: `B3 ${p}`,
      what: what(p),
      unit: 'ms',
      ours: r.ours!.extraMedians[p] as number,
      baselineName: 'plain MQTT.js pub → sub',
      baseline: r.mqttjs!.extraMedians[p] as number,
      target: { op: '<=', value: 2 },
    }),
  );
  return { rows, raw: r };
}
