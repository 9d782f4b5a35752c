/** The end-to-end results as Markdown tables (side by side, ratios of one run) and JSON. */
import type { Series } from '../lib/measure.js';

export interface E2eResults {
  readonly command: string;
  readonly machine: Readonly<Record<string, unknown>>;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly e1?: Record<string, Record<string, Series>>;
  readonly e2?: Record<string, Record<string, Series>>;
  readonly e3?: Record<string, Series>;
  readonly e4?: Record<string, Record<string, Series>>;
  /** Peak RSS (bytes) of each process at the end of the run. */
  readonly peakRss: Record<string, number>;
  readonly durationSeconds: number;
}

interface Line {
  readonly id: string;
  readonly what: string;
  readonly unit: string;
  readonly ours: number;
  readonly builtin: number;
  readonly lowerIsBetter: boolean;
  readonly target: string;
  readonly targetValue: number;
}

const f = (v: number): string => (Number.isFinite(v) ? (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2)) : '—');

function lines(r: E2eResults): Line[] {
  const out: Line[] = [];
  const tp = (id: string, what: string, s: Record<string, Series> | undefined, unit: string, target: number): void => {
    if (s?.ours && s.builtin) out.push({ id, what, unit, ours: s.ours.median, builtin: s.builtin.median, lowerIsBetter: false, target: `≥ ${target}`, targetValue: target });
  };
  tp('E1 HTTP', 'publish through daprd HTTP API, 64 connections, 1 KiB', r.e1?.http, 'msg/s', 1.0);
  tp('E1 gRPC', 'publish through daprd gRPC API, 64 streams, 1 KiB', r.e1?.grpc, 'msg/s', 1.0);
  tp('E2 ×1', 'delivery to the app, 1 subscription', r.e2?.x1, 'msg/s', 1.0);
  tp('E2 ×8', 'delivery to the app, 8 subscriptions', r.e2?.x8, 'msg/s', 1.0);
  if (r.e3?.ours && r.e3.builtin) {
    out.push({ id: 'E3 p50', what: `latency app → app at ${String(r.settings.rate)} msg/s`, unit: 'ms', ours: r.e3.ours.median, builtin: r.e3.builtin.median, lowerIsBetter: true, target: '≤ 1.2', targetValue: 1.2 });
    const p99 = (s: Series): number => s.extraMedians.p99 ?? Number.NaN;
    out.push({ id: 'E3 p99', what: `latency app → app at ${String(r.settings.rate)} msg/s`, unit: 'ms', ours: p99(r.e3.ours), builtin: p99(r.e3.builtin), lowerIsBetter: true, target: '≤ 1.2', targetValue: 1.2 });
  }
  for (const op of ['save', 'get', 'transaction']) tp(`E4 ${op}`, `state ${op} through daprd HTTP, 64 connections (ours vs state.redis)`, r.e4?.[op], 'ops/s', 0.7);
  return out;
}

function cpuRows(r: E2eResults): string[] {
  const rows: string[] = [];
  const add = (id: string, s: Record<string, Series> | undefined): void => {
    if (!s?.ours || !s.builtin) return;
    const o = s.ours.extraMedians;
    const b = s.builtin.extraMedians;
    const ours = (o.cpuMsPer1k_component ?? 0) + (o.cpuMsPer1k_broker ?? 0) + (o.cpuMsPer1k_daprd ?? 0);
    rows.push(
      `| ${id} | ${f(o.cpuMsPer1k_component ?? Number.NaN)}${o.cpuMsPer1k_broker !== undefined ? ` + broker ${f(o.cpuMsPer1k_broker)}` : ''} | ${f(o.cpuMsPer1k_daprd ?? Number.NaN)} | ${f(ours)} | ${f(b.cpuMsPer1k_daprd ?? Number.NaN)} | ${f(o.cpuMsPer1k_mosquitto ?? Number.NaN)} / ${f(b.cpuMsPer1k_mosquitto ?? Number.NaN)} |`,
    );
  };
  add('E1 HTTP', r.e1?.http);
  add('E1 gRPC', r.e1?.grpc);
  add('E2 ×1', r.e2?.x1);
  add('E2 ×8', r.e2?.x8);
  if (r.e3) add('E3', r.e3);
  for (const op of ['save', 'get', 'transaction']) add(`E4 ${op}`, r.e4?.[op]);
  return rows;
}

export function e2eMarkdown(r: E2eResults): string {
  const m = r.machine;
  const out: string[] = [
    `# End-to-end benchmark: our component vs daprd's built-in components, through daprd`,
    '',
    `- Command: \`${r.command}\``,
    `- Date: ${String(m.date)}; git ${String(m.git)}; daprd ${String(m.daprd)}; Node ${String(m.node)}; ${String(m.cores)} cores (${String(m.cpuModel)})`,
    `- Load average (1/5/15 min) at start ${String(m.loadAvgStart)}, at end ${String(m.loadAvgEnd)}: the cores are shared with other work, so absolute figures move; the ratios come from alternating runs (ours, built-in, ours, …) of this one run.`,
    r.settings.smoke ? `- Smoke run: tiny counts, one round, no warm-up: the figures mean nothing. Duration ${r.durationSeconds} s.` : `- Rounds: ${String(r.settings.repeats)} per side after warm-up, median; ${String(r.settings.seconds)} s per run. Duration ${r.durationSeconds} s.`,
    '',
    '| id | what | unit | ours | built-in | ratio ours/built-in | target | holds |',
    '|---|---|---|---:|---:|---:|---|---|',
  ];
  for (const l of lines(r)) {
    const ratio = l.ours / l.builtin;
    const holds = l.lowerIsBetter ? ratio <= l.targetValue : ratio >= l.targetValue;
    out.push(`| ${l.id} | ${l.what} | ${l.unit} | ${f(l.ours)} | ${f(l.builtin)} | ${ratio.toFixed(2)} | ${l.target} | ${holds ? '**yes**' : 'no'} |`);
  }
  out.push(
    '',
    '## E5: CPU per 1,000 messages or operations (ms, medians of the rounds) and peak RSS',
    '',
    '| run | our component | daprd (ours) | ours total | daprd (built-in) | Mosquitto (ours / built-in) |',
    '|---|---:|---:|---:|---:|---:|',
    ...cpuRows(r),
    '',
    'Built-in side: the CPU of Redis (E4) is not counted (the machine\'s shared Redis).',
    '',
    '| process | peak RSS (MiB) |',
    '|---|---:|',
    ...Object.entries(r.peakRss).map(([k, v]) => `| ${k} | ${(v / 2 ** 20).toFixed(0)} |`),
    '',
  );
  return out.join('\n');
}
