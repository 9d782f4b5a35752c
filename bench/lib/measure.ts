/**
 * Runs the sides of one comparison (ours, its baseline, references) the same way: one warm-up
 * run per side that also sizes the measured runs (about `targetSeconds` each), then `repeats`
 * rounds in which the sides take turns, so a burst of background load hits all of them alike.
 * The figure of a side is the median of its rounds.
 */
import { median } from './stats.js';

export interface Sample {
  /** The figure (msgs/s, ops/s, ms...). */
  readonly value: number;
  /** Requests / messages in this run. */
  readonly n: number;
  readonly ms: number;
  /** Anything worth keeping in the JSON (failures, h2load's own figure, p99...). */
  readonly extra?: Readonly<Record<string, number | string | boolean>>;
}

export interface Series {
  readonly median: number;
  readonly samples: readonly Sample[];
  /** Median of each numeric `extra` field over the rounds. */
  readonly extraMedians: Readonly<Record<string, number>>;
}

export interface Sizing {
  /** Count of the warm-up run. */
  readonly warmup: number;
  readonly min: number;
  readonly max: number;
  /** Count used (without warm-up, once) in a smoke run. */
  readonly smoke: number;
  /** When set, every run uses this count (no sizing from the warm-up). */
  readonly fixed?: number;
}

export interface MeasureSettings {
  readonly repeats: number;
  readonly warmup: boolean;
  readonly targetSeconds: number;
  readonly smoke: boolean;
  readonly log: (line: string) => void;
}

export type Side = (n: number) => Promise<Sample>;

function summarize(samples: Sample[]): Series {
  const keys = new Set(samples.flatMap((s) => Object.keys(s.extra ?? {})));
  const extraMedians: Record<string, number> = {};
  for (const k of keys) {
    const values = samples.map((s) => s.extra?.[k]).filter((v): v is number => typeof v === 'number');
    if (values.length > 0) extraMedians[k] = median(values);
  }
  return { median: median(samples.map((s) => s.value)), samples, extraMedians };
}

function fmt(s: Sample): string {
  return `${s.value.toFixed(s.value < 100 ? 2 : 0)} (n=${s.n}, ${Math.round(s.ms)} ms)`;
}

export async function compare(label: string, sides: Readonly<Record<string, Side>>, sizing: Sizing, settings: MeasureSettings): Promise<Record<string, Series>> {
  const names = Object.keys(sides);
  const counts = new Map<string, number>();
  if (settings.smoke) {
    for (const name of names) counts.set(name, sizing.smoke);
  } else {
    for (const name of names) {
      const side = sides[name] as Side;
      if (!settings.warmup && sizing.fixed !== undefined) {
        counts.set(name, sizing.fixed);
        continue;
      }
      // Warm-up: until one run lasts half the target time (the JIT has settled by then), doubling.
      let warm = await side(sizing.fixed ?? sizing.warmup);
      settings.log(`  ${label} / ${name}: warm-up ${fmt(warm)}`);
      for (let i = 0; sizing.fixed === undefined && i < 6 && warm.ms < (settings.targetSeconds * 1000) / 2 && warm.n < sizing.max; i++) {
        warm = await side(Math.min(sizing.max, warm.n * 2));
        settings.log(`  ${label} / ${name}: warm-up ${fmt(warm)}`);
      }
      // Rate-based sizing for throughput runs; latency runs keep their fixed count.
      const sized = Math.round((warm.n / (warm.ms / 1000)) * settings.targetSeconds);
      counts.set(name, sizing.fixed ?? Math.min(sizing.max, Math.max(sizing.min, Number.isFinite(sized) ? sized : sizing.min)));
    }
  }
  const samples = new Map<string, Sample[]>(names.map((n) => [n, []]));
  const rounds = settings.smoke ? 1 : settings.repeats;
  for (let r = 0; r < rounds; r++) {
    for (const name of names) {
      const s = await (sides[name] as Side)(counts.get(name) as number);
      samples.get(name)?.push(s);
      settings.log(`  ${label} / ${name}: round ${r + 1}/${rounds} ${fmt(s)}`);
    }
  }
  return Object.fromEntries(names.map((n) => [n, summarize(samples.get(n) as Sample[])]));
}
