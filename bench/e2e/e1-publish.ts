/**
 * E1: publish throughput through daprd, 1 KiB JSON, 64 concurrent: HTTP API (h2load --h1, 64
 * connections) and gRPC API (h2load, one HTTP/2 connection, 64 streams, PublishEvent), ours
 * (daprd → our component → Mosquitto) against daprd's built-in pubsub.mqtt3 (daprd → Mosquitto).
 * A run counts when every request succeeded and every message arrived at a plain MQTT.js
 * subscriber on the topic; the figure is requests / h2load's wall time.
 */
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { compare, type Series, type Side } from '../lib/measure.js';
import { startCounter } from '../lib/mqtt-load.js';
import { waitForCount } from '../lib/processes.js';
import { jsonBody, withCpu, type E2eContext } from './context.js';
import { grpcLoad, httpLoad, publishEventFrame } from './load.js';
import { PUBLISH_TOPIC, SIDES, type DaprSide } from './setup.js';

export const E1_SIZING = { warmup: 1_000, min: 1_000, max: 200_000, smoke: 200 };
const CONCURRENCY = 64;
const PAYLOAD = 1024;

function side(ctx: E2eContext, s: DaprSide, api: 'http' | 'grpc', files: { json: string; frame: string }): Side {
  return (n) =>
    withCpu(ctx, s, false, n, async () => {
      const counter = await startCounter(ctx.setup.mosquittoUrl, PUBLISH_TOPIC);
      try {
        const r =
          api === 'http'
            ? await httpLoad({ h2load: ctx.h2load, url: `http://127.0.0.1:${s.httpPort}/v1.0/publish/pubsub/${PUBLISH_TOPIC}`, bodyFile: files.json, requests: n, conns: CONCURRENCY })
            : await grpcLoad({ h2load: ctx.h2load, port: s.grpcPort, method: 'dapr.proto.runtime.v1.Dapr/PublishEvent', bodyFile: files.frame, requests: n, streams: CONCURRENCY });
        const ok = api === 'http' ? r.ok2xx : Math.floor(r.dataBytes / 5);
        const arrived = (await waitForCount(() => counter.count, n, 30_000)) ? n : counter.count;
        if (ok !== n || arrived !== n) {
          throw new Error(`bench:e2e: E1 ${api} ${s.name}: ${ok} of ${n} publishes succeeded, ${arrived} arrived\n${r.raw.slice(-600)}`);
        }
        return { value: n / (r.wallMs / 1000), n, ms: r.wallMs, extra: { arrived } };
      } finally {
        await counter.end();
      }
    });
}

export async function runE1(ctx: E2eContext): Promise<Record<string, Record<string, Series>>> {
  const json = join(ctx.tmp, 'e1.json');
  const frame = join(ctx.tmp, 'e1.grpc');
  const body = jsonBody(PAYLOAD);
  await writeFile(json, body);
  await writeFile(frame, publishEventFrame('pubsub', PUBLISH_TOPIC, Buffer.from(body), 'application/json'));
  const out: Record<string, Record<string, Series>> = {};
  for (const api of ['http', 'grpc'] as const) {
    const sides = Object.fromEntries(SIDES.map((name) => [name, side(ctx, ctx.setup.sides[name], api, { json, frame })]));
    out[api] = await compare(`E1 publish ${api}`, sides, E1_SIZING, ctx.settings);
  }
  return out;
}
