/**
 * `npm run bench:e2e`: E1–E5, our component against daprd's built-in pubsub.mqtt3 and
 * state.redis, through the same daprd binary, on one private Mosquitto; writes
 * bench/results/e2e-<date>.md and .json.
 *
 *   node dist/bench/e2e/run-e2e.js [--smoke] [--only E1,E2,E3,E4] [--repeats 3] [--seconds 3]
 *                                  [--rate 200] [--profile] [--name e2e-<date>] [--out <dir>]
 *
 * Environment: BENCH_DAPRD (the daprd binary; default the newest in the build cache),
 * BENCH_REDIS_URL (default redis://127.0.0.1:6379).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureH2load } from '../lib/h2load.js';
import { killAll } from '../lib/processes.js';
import type { MeasureSettings } from '../lib/measure.js';
import type { E2eContext } from './context.js';
import { peakRss } from './cpu.js';
import { runE1 } from './e1-publish.js';
import { runE2 } from './e2-delivery.js';
import { runE3 } from './e3-latency.js';
import { runE4 } from './e4-state.js';
import { e2eMarkdown, type E2eResults } from './report.js';
import { findDaprd, startE2e } from './setup.js';
import { parseArgs } from '../lib/parse-args.js';

const BENCH_DIR = fileURLToPath(new URL('../../../bench', import.meta.url));
const ALL = ['E1', 'E2', 'E3', 'E4'];


function git(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: BENCH_DIR, encoding: 'utf8' }).trim();
    const changed = execFileSync('git', ['status', '--porcelain'], { cwd: BENCH_DIR, encoding: 'utf8' }).split('\n').filter((l) => l.trim() !== '').length;
    return changed === 0 ? head : `${head} + ${changed} changed files`;
  } catch {
    return 'unknown';
  }
}

export interface E2eOptions {
  readonly smoke: boolean;
  readonly only: ReadonlySet<string>;
  readonly repeats: number;
  readonly seconds: number;
  readonly rate: number;
  readonly profileDir?: string;
  readonly redisUrl: string;
  readonly command: string;
  readonly log: (line: string) => void;
}

export async function runE2e(o: E2eOptions): Promise<E2eResults> {
  const started = Date.now();
  const loadAvgStart = loadavg().map((x) => x.toFixed(2));
  const h2load = ensureH2load(true);
  const daprd = findDaprd();
  const tmp = await mkdtemp(join(tmpdir(), 'e2e-'));
  const prof = (name: string): string[] => (o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : []);
  if (o.profileDir) await mkdir(o.profileDir, { recursive: true });
  const setup = await startE2e({ tmp, daprd, redisUrl: o.redisUrl, componentNodeArgs: prof('e2e-component'), brokerNodeArgs: prof('e2e-broker'), log: o.log });
  const settings: MeasureSettings = { repeats: o.repeats, warmup: !o.smoke, targetSeconds: o.seconds, smoke: o.smoke, log: o.log };
  const ctx: E2eContext = { setup, settings, h2load, tmp, latency: { rate: o.rate, seconds: o.smoke ? 0.5 : Math.max(5, o.seconds * 2) } };
  const parts: { -readonly [K in 'e1' | 'e2' | 'e3' | 'e4']?: E2eResults[K] } = {};
  const peak: Record<string, number> = {};
  try {
    if (o.only.has('E1')) parts.e1 = await runE1(ctx);
    if (o.only.has('E2')) parts.e2 = await runE2(ctx);
    if (o.only.has('E3')) parts.e3 = await runE3(ctx);
    if (o.only.has('E4')) parts.e4 = await runE4(ctx);
    const procs = { component: setup.component, 'bundled broker (state)': setup.broker, 'daprd (ours)': setup.sides.ours.daprd, 'daprd (built-in)': setup.sides.builtin.daprd, mosquitto: setup.mosquitto };
    for (const [k, c] of Object.entries(procs)) peak[k] = await peakRss(c.pid);
  } finally {
    await setup.close().catch(async () => killAll());
    await rm(tmp, { recursive: true, force: true });
  }
  const cpu = cpus();
  let daprdVersion = 'unknown';
  try {
    daprdVersion = execFileSync(daprd, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // reported as unknown
  }
  return {
    command: o.command,
    machine: { date: new Date(started).toISOString(), git: git(), daprd: `${daprdVersion} (${daprd})`, node: process.version, cores: cpu.length, cpuModel: cpu[0]?.model ?? 'unknown', loadAvgStart, loadAvgEnd: loadavg().map((x) => x.toFixed(2)) },
    settings: { repeats: o.repeats, seconds: o.seconds, rate: o.rate, smoke: o.smoke, only: [...o.only] },
    ...parts,
    peakRss: peak,
    durationSeconds: Math.round((Date.now() - started) / 1000),
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const smoke = args.get('smoke') === 'true';
  const only = new Set((args.get('only') ?? ALL.join(',')).split(',').map((s) => s.trim().toUpperCase()));
  for (const id of only) if (!ALL.includes(id)) throw new Error(`--only: unknown benchmark "${id}" (${ALL.join(', ')})`);
  const outDir = args.get('out') ?? join(BENCH_DIR, 'results');
  const name = args.get('name') ?? (smoke ? 'e2e-smoke' : `e2e-${new Date().toISOString().slice(0, 10)}`);
  const results = await runE2e({
    smoke,
    only,
    repeats: Number(args.get('repeats') ?? 3),
    seconds: Number(args.get('seconds') ?? 3),
    rate: Number(args.get('rate') ?? 200),
    profileDir: args.get('profile') === 'true' ? join(outDir, 'profiles-e2e') : undefined,
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    command: `node dist/bench/e2e/run-e2e.js ${process.argv.slice(2).join(' ')}`.trim(),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  await mkdir(outDir, { recursive: true });
  const md = e2eMarkdown(results);
  await writeFile(join(outDir, `${name}.md`), md);
  await writeFile(join(outDir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\n${md}\nwritten: ${join(outDir, `${name}.md`)} and .json\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch(async (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    await killAll();
    process.exit(1);
  });
}
