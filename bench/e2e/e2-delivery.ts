/**
 * E2: delivery throughput to the app: a plain MQTT.js publisher (its own process, QoS 1, 64 in
 * flight) puts CloudEvents on Mosquitto, daprd delivers them to the app over HTTP, through our
 * component or through pubsub.mqtt3; one subscription and eight (round robin over 8 topics).
 * The figure is messages / (last delivery at the app − publisher start).
 */
import { compare, type Series, type Side } from '../lib/measure.js';
import { startLoadPublisher } from '../lib/mqtt-load.js';
import { pollUntil } from '../lib/processes.js';
import { withCpu, type E2eContext } from './context.js';
import { DELIVER_TOPICS, SIDES, type DaprSide } from './setup.js';

export const E2_SIZING = { warmup: 1_000, min: 1_000, max: 100_000, smoke: 200 };
const DELIVERY_TIMEOUT_MS = 120_000;

/** A CloudEvent as daprd would have written it, data padded to about 1 KiB. */
function cloudEvent(topic: string): string {
  const data = { pad: 'b'.repeat(800) };
  return JSON.stringify({ specversion: '1.0', id: 'e2', source: 'bench', type: 'com.dapr.event.sent', datacontenttype: 'application/json', topic, pubsubname: 'pubsub', data });
}

function side(ctx: E2eContext, s: DaprSide, topics: readonly string[]): Side {
  return (n) =>
    withCpu(ctx, s, false, n, async () => {
      const routes = topics.map((t) => `${s.index}:/${t}`);
      await ctx.setup.appStats(true);
      // One payload for all topics: the CloudEvent's own topic field is not what daprd routes by.
      const pub = await startLoadPublisher({ url: ctx.setup.mosquittoUrl, topics, count: n, payloadBytes: 0, payloadText: cloudEvent(topics[0] as string), inflight: 64, qos: 1 });
      try {
        const done = await pub.go();
        const startEpoch = performance.timeOrigin + done.startedAt;
        let stats = await ctx.setup.appStats(false);
        const delivered = (): number => routes.reduce((a, k) => a + (stats.counts[k] ?? 0), 0);
        await pollUntil(
          async () => {
            stats = await ctx.setup.appStats(false);
            return delivered() >= done.sent;
          },
          `E2 ${s.name}: ${done.sent} deliveries`,
          DELIVERY_TIMEOUT_MS,
        );
        const ms = (stats.lastAt[s.index] as number) - startEpoch;
        return { value: delivered() / (ms / 1000), n, ms, extra: { delivered: delivered(), publisherMsgPerSec: done.sent / (done.ms / 1000) } };
      } finally {
        await pub.stop();
      }
    });
}

export async function runE2(ctx: E2eContext): Promise<Record<string, Record<string, Series>>> {
  const out: Record<string, Record<string, Series>> = {};
  for (const count of [1, 8]) {
    const topics = DELIVER_TOPICS.slice(0, count);
    const sides = Object.fromEntries(SIDES.map((name) => [name, side(ctx, ctx.setup.sides[name], topics)]));
    out[`x${count}`] = await compare(`E2 delivery, ${count} subscription(s)`, sides, E2_SIZING, ctx.settings);
  }
  return out;
}
