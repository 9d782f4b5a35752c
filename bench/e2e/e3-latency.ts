/**
 * E3: end-to-end latency app → daprd → pub/sub → Mosquitto → pub/sub → daprd → app at a fixed
 * moderate rate (open loop: messages go out on schedule whatever the answers do), 1 KiB JSON
 * carrying its send time; the app takes the difference on arrival (same machine, same clock).
 * The figure is p50 (ms); p99 in extra. Ratio = ours / built-in (lower is better).
 */
import http from 'node:http';
import { compare, type Series, type Side } from '../lib/measure.js';
import { pollUntil } from '../lib/processes.js';
import { jsonBody, withCpu, type E2eContext } from './context.js';
import { LATENCY_TOPIC, SIDES, type DaprSide } from './setup.js';

const TICK_MS = 5;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function post(agent: http.Agent, port: number, path: string, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

function side(ctx: E2eContext, s: DaprSide): Side {
  return (n) =>
    withCpu(ctx, s, false, n, async () => {
      await ctx.setup.appStats(true);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
      const path = `/v1.0/publish/pubsub/${LATENCY_TOPIC}`;
      const pending: Promise<number>[] = [];
      const started = performance.now();
      try {
        // Open loop: at every tick, send what the schedule says is due.
        await new Promise<void>((resolve) => {
          const tick = (): void => {
            const due = Math.min(n, Math.floor(((performance.now() - started) / 1000) * ctx.latency.rate) + 1);
            while (pending.length < due) {
              const body = jsonBody(1024, `"t":${(performance.timeOrigin + performance.now()).toFixed(3)}`);
              pending.push(post(agent, s.httpPort, path, body));
            }
            if (pending.length >= n) resolve();
            else setTimeout(tick, TICK_MS);
          };
          tick();
        });
        const statuses = await Promise.all(pending);
        const failed = statuses.filter((c) => c !== 204).length;
        if (failed > 0) throw new Error(`bench:e2e: E3 ${s.name}: ${failed} of ${n} publishes failed`);
        let lat: number[] = [];
        await pollUntil(
          async () => {
            lat = (await ctx.setup.appStats(false)).latencies[s.index] ?? [];
            return lat.length >= n;
          },
          `E3 ${s.name}: ${n} deliveries`,
          60_000,
        );
        const sorted = [...lat].sort((a, b) => a - b);
        return { value: percentile(sorted, 50), n, ms: performance.now() - started, extra: { p99: percentile(sorted, 99), max: sorted.at(-1) as number } };
      } finally {
        agent.destroy();
      }
    });
}

export async function runE3(ctx: E2eContext): Promise<Record<string, Series>> {
  const n = Math.max(10, Math.round(ctx.latency.rate * ctx.latency.seconds));
  const sides = Object.fromEntries(SIDES.map((name) => [name, side(ctx, ctx.setup.sides[name])]));
  return compare(`E3 latency at ${ctx.latency.rate} msg/s`, sides, { warmup: n, min: n, max: n, smoke: 50, fixed: n }, ctx.settings);
}
