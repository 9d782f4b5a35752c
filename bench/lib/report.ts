/** The results as Markdown (the table people read) and JSON (everything, every round). */
import type { BenchResults } from '../harness.js';
import type { Row } from './context.js';
import type { ScalingPoint } from '../benchmarks/b1-publish.js';

function figure(v: number, unit: string): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (unit === 'ms') return `${v.toFixed(v < 10 ? 2 : 1)} ms`;
  if (unit === 'MiB') return `${v.toFixed(0)} MiB`;
  return `${Math.round(v).toLocaleString('en-US')} ${unit}`;
}

function targetText(r: Row): string {
  if (!r.target) return '—';
  return `${r.target.op === '>=' ? '≥' : '≤'} ${r.target.value}×`;
}

function holdsText(r: Row): string {
  if (r.holds === undefined) return '—';
  return r.holds ? '**yes**' : 'no';
}

function scalingTable(title: string, baselineName: string, points: readonly ScalingPoint[], unit: string): string[] {
  if (points.length === 0) return [];
  const lines = [`### ${title}`, '', `| series | payload | streams | ours (${unit}) | ${baselineName} | ratio | ours MB/s |`, '|---|---:|---:|---:|---:|---:|---:|'];
  for (const p of points) {
    const mbps = (p.ours * p.payloadBytes) / 1e6;
    lines.push(
      `| ${p.series} | ${p.payloadBytes.toLocaleString('en-US')} B | ${p.streams} | ${Math.round(p.ours).toLocaleString('en-US')} | ${Math.round(p.baseline).toLocaleString('en-US')} | ${p.ratio.toFixed(2)} | ${mbps.toFixed(1)} |`,
    );
  }
  lines.push('');
  return lines;
}

export function toMarkdown(r: BenchResults): string {
  const m = r.machine;
  const o = r.options;
  const lines: string[] = [
    '# Benchmark results',
    '',
    `**${m.cores} cores** (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; ${m.date}; ${r.durationSeconds} s; code: ${m.git}.`,
    `Load average at start ${m.loadAvgStart.map((v) => v.toFixed(2)).join(' ')}, at end ${m.loadAvgEnd.map((v) => v.toFixed(2)).join(' ')} ` +
      '(other work on the machine shows up here; every process of the set-up, the generator and the baselines share these cores).',
    '',
    o.smoke
      ? '**Smoke run**: tiny counts, no warm-up, one round. The figures mean nothing; it only shows the harness works.'
      : `Each figure is the median of ${o.repeats} rounds of about ${o.targetSeconds} s, after a warm-up run per side (which also sized the rounds); ` +
        'in each round the sides take turns. Baselines are measured in the same run.',
    '',
    '| id | what | ours | baseline (same run) | ratio | target | holds |',
    '|---|---|---:|---|---:|---:|---|',
  ];
  for (const row of r.rows) {
    lines.push(
      `| ${row.id} | ${row.what} | ${figure(row.ours, row.unit)} | ${row.baselineName}: ${figure(row.baseline, row.unit)} | ${row.ratio.toFixed(2)} | ${targetText(row)} | ${holdsText(row)} |`,
    );
  }
  const refs = r.rows.filter((row) => row.references && row.references.length > 0);
  if (refs.length > 0) {
    lines.push('', 'References (same run):', '');
    for (const row of refs) {
      for (const ref of row.references ?? []) {
        lines.push(`- ${row.id}: ${ref.name}: ${figure(ref.value, row.unit)} (ours is ${(row.ours / ref.value).toFixed(2)}× of it)`);
      }
    }
  }
  const b3 = r.b3?.raw;
  if (b3?.ours && b3.mqttjs) {
    const f = (s: typeof b3.ours, k: string): string => (s.extraMedians[k] ?? Number.NaN).toFixed(2);
    lines.push(
      '',
      `B3 detail (ms, medians of rounds): ours p50 ${f(b3.ours, 'p50')}, p90 ${f(b3.ours, 'p90')}, p99 ${f(b3.ours, 'p99')}, max ${f(b3.ours, 'max')}; ` +
        `baseline p50 ${f(b3.mqttjs, 'p50')}, p90 ${f(b3.mqttjs, 'p90')}, p99 ${f(b3.mqttjs, 'p99')}, max ${f(b3.mqttjs, 'max')}.`,
    );
  }
  if (r.b6) {
    lines.push(
      '',
      `B6 detail: component idle RSS ${(r.b6.idleRssBytes / 2 ** 20).toFixed(0)} MiB; nack run: ${r.b6.nack.published} published, ` +
        `${r.b6.nack.deliveries} deliveries (all nacked), broker peak RSS ${(r.b6.nack.brokerPeakRssBytes / 2 ** 20).toFixed(0)} MiB.`,
    );
  }
  const scaling = [
    ...scalingTable('B1 scaling: Publish through the component vs the no-op', 'no-op (req/s)', r.b1?.scaling ?? [], 'msg/s'),
    ...scalingTable('B2 scaling: delivery through PullMessages vs plain MQTT.js subscribers', 'MQTT.js (msg/s)', r.b2?.scaling ?? [], 'msg/s'),
  ];
  if (scaling.length > 0) lines.push('', '## Scaling', '', ...scaling);
  if (r.skipped.length > 0) lines.push('', '## Skipped', '', ...r.skipped.map((s) => `- ${s}`));
  lines.push('');
  return lines.join('\n');
}

export function toJson(r: BenchResults): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
