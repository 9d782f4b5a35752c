/** What every benchmark gets: settings, the running set-up, the generator, and where to log. */
import type { Deploy } from './deploy.js';
import type { MeasureSettings } from './measure.js';

export interface BenchContext {
  readonly settings: MeasureSettings;
  readonly deploy: Deploy;
  /** h2load's path; undefined when it is not available (smoke runs only: those parts are skipped). */
  readonly h2load: string | undefined;
  readonly tmp: string;
  readonly mosquittoUrl: string;
  readonly redisUrl: string;
  /** Run the payload and stream scaling series of B1 and B2. */
  readonly scaling: boolean;
  /** B6: messages published while the app nacks everything. */
  readonly nackMessages: number;
  /** B3: publish rate (msg/s) and how long each run publishes (s). */
  readonly latency: { readonly rate: number; readonly seconds: number };
  /** B6: peak RSS (bytes) of the component per phase. */
  readonly rss: Map<string, number>;
}

/** Records `peak` for `phase` if above what was recorded. */
export function notePeak(ctx: BenchContext, phase: string, peak: number): void {
  ctx.rss.set(phase, Math.max(ctx.rss.get(phase) ?? 0, peak));
}

/** One line of the results table. */
export interface Row {
  readonly id: string;
  readonly what: string;
  readonly unit: string;
  readonly ours: number;
  readonly baselineName: string;
  readonly baseline: number;
  /** ours / baseline. */
  readonly ratio: number;
  readonly target?: { readonly op: '>=' | '<='; readonly value: number };
  readonly holds?: boolean;
  readonly references?: ReadonlyArray<{ readonly name: string; readonly value: number }>;
  readonly note?: string;
}

export function row(r: Omit<Row, 'ratio' | 'holds'>): Row {
  const ratio = r.ours / r.baseline;
  const holds = r.target === undefined ? undefined : r.target.op === '>=' ? ratio >= r.target.value : ratio <= r.target.value;
  return { ...r, ratio, ...(holds === undefined ? {} : { holds }) };
}
