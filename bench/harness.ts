/**
 * The bench harness: starts the set-up, runs the selected benchmarks, stops everything it
 * started (by pid), and returns the results; `bench/run.ts` writes them out, and the smoke test
 * runs it with tiny counts.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runB1, type B1Result } from './benchmarks/b1-publish.js';
import { runB2, type B2Result } from './benchmarks/b2-delivery.js';
import { runB3, type B3Result } from './benchmarks/b3-latency.js';
import { runB4, type B4Result } from './benchmarks/b4-state.js';
import { runB5, type B5Result } from './benchmarks/b5-broker.js';
import { componentRss, runB6, type B6Result } from './benchmarks/b6-memory.js';
import { startDeploy } from './lib/deploy.js';
import { ensureH2load, hasH2load } from './lib/h2load.js';
import { killAll } from './lib/processes.js';
import type { BenchContext, Row } from './lib/context.js';
import type { MeasureSettings } from './lib/measure.js';

export const BENCHMARKS = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6'] as const;
export type BenchId = (typeof BENCHMARKS)[number];

export interface BenchOptions {
  readonly only: ReadonlySet<BenchId>;
  readonly smoke: boolean;
  readonly repeats: number;
  readonly warmup: boolean;
  readonly targetSeconds: number;
  readonly scaling: boolean;
  /** Install h2load when missing (apt-get); when false and it is missing, h2load parts are skipped. */
  readonly requireH2load: boolean;
  readonly mosquittoUrl: string;
  readonly redisUrl: string;
  readonly profile: ReadonlySet<'component' | 'broker'>;
  readonly profileDir: string;
  readonly nackMessages: number;
  readonly latency: { readonly rate: number; readonly seconds: number };
  readonly log: (line: string) => void;
}

export interface Machine {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly loadAvgStart: readonly number[];
  readonly loadAvgEnd: readonly number[];
  readonly date: string;
  /** The commit under test and how many files differed from it (the working tree is what ran). */
  readonly git: string;
}

function gitState(): string {
  try {
    const cwd = fileURLToPath(new URL('.', import.meta.url));
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const changed = execFileSync('git', ['status', '--porcelain'], { cwd, encoding: 'utf8' }).split('\n').filter((l) => l.trim() !== '').length;
    return changed === 0 ? head : `${head} + ${changed} changed files`;
  } catch {
    return 'unknown';
  }
}

export interface BenchResults {
  readonly machine: Machine;
  readonly options: Omit<BenchOptions, 'only' | 'profile' | 'log'> & { only: string[]; profile: string[] };
  readonly rows: Row[];
  readonly skipped: string[];
  readonly b1?: B1Result;
  readonly b2?: B2Result;
  readonly b3?: B3Result;
  readonly b4?: B4Result;
  readonly b5?: B5Result;
  readonly b6?: B6Result;
  readonly durationSeconds: number;
}

export async function runBench(o: BenchOptions): Promise<BenchResults> {
  const startedAt = Date.now();
  const loadAvgStart = loadavg();
  const skipped: string[] = [];
  let h2load: string | undefined;
  if (o.requireH2load) h2load = ensureH2load(true);
  else if (hasH2load()) h2load = ensureH2load(false);
  else skipped.push('h2load-based parts (B1 and B4 through the component and the no-op): h2load (nghttp2-client) is not installed');

  const tmp = await mkdtemp(join(tmpdir(), 'mqtt-bench-'));
  const settings: MeasureSettings = { repeats: o.repeats, warmup: o.warmup, targetSeconds: o.targetSeconds, smoke: o.smoke, log: o.log };
  const rows: Row[] = [];
  const parts: { b1?: B1Result; b2?: B2Result; b3?: B3Result; b4?: B4Result; b5?: B5Result; b6?: B6Result } = {};
  const deploy = await startDeploy({ tmp, profile: o.profile, profileDir: o.profileDir, mosquittoUrl: o.mosquittoUrl });
  try {
    const ctx: BenchContext = {
      settings,
      deploy,
      h2load,
      tmp,
      mosquittoUrl: o.mosquittoUrl,
      redisUrl: o.redisUrl,
      scaling: o.scaling,
      nackMessages: o.nackMessages,
      latency: o.latency,
      rss: new Map(),
    };
    const idleRss = await componentRss(ctx);
    if (o.only.has('B1') && h2load) {
      o.log('B1: Publish throughput (h2load → component → bundled broker → subscriber)');
      parts.b1 = await runB1(ctx);
      rows.push(...parts.b1.rows);
    }
    if (o.only.has('B2')) {
      o.log('B2: delivery throughput (publisher → bundled broker → component → PullMessages)');
      parts.b2 = await runB2(ctx);
      rows.push(...parts.b2.rows);
    }
    if (o.only.has('B3')) {
      o.log(`B3: latency at ${o.latency.rate} msg/s`);
      parts.b3 = await runB3(ctx);
      rows.push(...parts.b3.rows);
    }
    if (o.only.has('B4') && h2load) {
      o.log('B4: state Set and Get (h2load → component → state service in the bundled broker)');
      parts.b4 = await runB4(ctx);
      rows.push(...parts.b4.rows);
      skipped.push(...parts.b4.skippedReferences);
    }
    if (o.only.has('B5')) {
      o.log('B5: bundled broker vs Mosquitto');
      parts.b5 = await runB5(ctx);
      rows.push(...parts.b5.rows);
      if (parts.b5.skipped) skipped.push(parts.b5.skipped);
    }
    if (o.only.has('B6')) {
      o.log(`B6: component RSS (${o.nackMessages} messages nacked)`);
      parts.b6 = await runB6(ctx, idleRss);
      rows.push(...parts.b6.rows);
    }
  } finally {
    await deploy.close().catch(async () => killAll());
    await rm(tmp, { recursive: true, force: true });
  }
  const cpu = cpus();
  return {
    machine: {
      cores: cpu.length,
      cpuModel: cpu[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      loadAvgStart,
      loadAvgEnd: loadavg(),
      date: new Date(startedAt).toISOString(),
      git: gitState(),
    },
    options: (({ log: _log, only, profile, ...rest }) => ({ ...rest, only: [...only], profile: [...profile] }))(o),
    rows,
    skipped,
    ...parts,
    durationSeconds: Math.round((Date.now() - startedAt) / 1000),
  };
}
