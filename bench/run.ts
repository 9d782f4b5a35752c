/**
 * `npm run bench`: runs B1–B6 on loopback and writes bench/results/latest.md and latest.json.
 *
 *   node dist/bench/run.js [--smoke] [--only B1,B4] [--repeats 3] [--seconds 2] [--no-scaling]
 *                          [--out <dir>] [--name latest] [--profile component,broker] [--rate 2000]
 *
 * Environment: BENCH_MOSQUITTO_URL (default mqtt://127.0.0.1:1883), BENCH_REDIS_URL
 * (default redis://127.0.0.1:6379).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCHMARKS, runBench, type BenchId } from './harness.js';
import { toJson, toMarkdown } from './lib/report.js';
import { killAll } from './lib/processes.js';
import { parseArgs } from './lib/parse-args.js';

/** bench/ in the source tree (dist/bench/run.js → ../../bench). */
const BENCH_DIR = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../bench' : '.', import.meta.url));


async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const smoke = args.get('smoke') === 'true';
  const only = new Set((args.get('only') ?? BENCHMARKS.join(',')).split(',').map((s) => s.trim().toUpperCase()));
  for (const id of only) if (!(BENCHMARKS as readonly string[]).includes(id)) throw new Error(`--only: unknown benchmark "${id}" (${BENCHMARKS.join(', ')})`);
  const profile = new Set((args.get('profile') ?? '').split(',').filter((s) => s !== '')) as Set<'component' | 'broker'>;
  for (const p of profile) if (p !== 'component' && p !== 'broker') throw new Error(`--profile: "${p}" is not component or broker`);
  const outDir = args.get('out') ?? join(BENCH_DIR, 'results');
  const name = args.get('name') ?? (smoke ? 'smoke' : 'latest');
  const started = Date.now();
  const results = await runBench({
    only: only as Set<BenchId>,
    smoke,
    repeats: Number(args.get('repeats') ?? 3),
    warmup: !smoke,
    targetSeconds: Number(args.get('seconds') ?? 2),
    scaling: args.get('no-scaling') !== 'true',
    requireH2load: true,
    mosquittoUrl: process.env.BENCH_MOSQUITTO_URL ?? 'mqtt://127.0.0.1:1883',
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    profile,
    profileDir: join(outDir, 'profiles'),
    nackMessages: smoke ? 300 : 10_000,
    latency: { rate: Number(args.get('rate') ?? 2_000), seconds: smoke ? 0.25 : 5 },
    log: (line) => process.stdout.write(`${line}\n`),
  });
  await mkdir(outDir, { recursive: true });
  const md = toMarkdown(results);
  await writeFile(join(outDir, `${name}.md`), md);
  await writeFile(join(outDir, `${name}.json`), toJson(results));
  process.stdout.write(`\n${md}\nwritten: ${join(outDir, `${name}.md`)} and .json (${Math.round((Date.now() - started) / 1000)} s)\n`);
}

main().catch(async (err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  await killAll();
  process.exit(1);
});
