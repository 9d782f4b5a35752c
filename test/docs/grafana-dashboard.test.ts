/**
 * deploy/grafana/dapr-mqtt-pluggable.json (docs/operations.md) charts our metrics as the code
 * defines them: every metric a query names exists (src/metrics/component-metrics.ts, or Node's
 * process metrics), every label it groups or filters by is one that metric has, and every
 * `mqtt_pluggable_*` metric is charted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createComponentMetrics, METRIC_PREFIX } from '../../src/metrics/component-metrics.js';

const root = new URL(import.meta.url.includes('/dist/') ? '../../../' : '../../', import.meta.url);
const DASHBOARD = 'deploy/grafana/dapr-mqtt-pluggable.json';

interface Panel {
  type: string;
  title?: string;
  targets?: Array<{ expr?: string }>;
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query?: string | { query?: string } }> };
}

/** Every metric name the registry exposes (histograms with their series suffixes) → its labels. */
async function knownMetrics(): Promise<Map<string, Set<string>>> {
  const metrics = createComponentMetrics();
  const stop = metrics.observeBroker({ connectedClients: () => 0, sessions: async () => 0 });
  const json = await metrics.registry.getMetricsAsJSON();
  stop();
  const labels = new Map(metrics.registry.getMetricsAsArray().map((m) => [m.name, (m as unknown as { labelNames?: string[] }).labelNames ?? []]));
  const known = new Map<string, Set<string>>();
  for (const m of json) {
    const own = new Set(labels.get(m.name) ?? []);
    if (String(m.type) === 'histogram') {
      known.set(`${m.name}_bucket`, new Set([...own, 'le']));
      known.set(`${m.name}_count`, own);
      known.set(`${m.name}_sum`, own);
    } else {
      known.set(m.name, own);
    }
  }
  return known;
}

/** Labels a PromQL expression groups by or matches on. */
function labelsUsed(expr: string): string[] {
  const by = [...expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)].flatMap((m) => (m[1] ?? '').split(',').map((l) => l.trim()));
  const selectors = [...expr.matchAll(/\{([^}]*)\}/g)].flatMap((m) => [...(m[1] ?? '').matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)].map((l) => l[1] ?? ''));
  return [...by, ...selectors].filter((l) => l !== '' && l !== '__name__');
}

const metricNames = (expr: string): string[] => [...expr.matchAll(/\b((?:mqtt_pluggable|process|nodejs)_[a-z0-9_]*[a-z0-9])\b/g)].map((m) => m[1] ?? '');

test('the Grafana dashboard queries only metrics and labels the code defines, and charts every metric of ours', async () => {
  const dashboard = JSON.parse(readFileSync(new URL(DASHBOARD, root), 'utf8')) as Dashboard;
  assert.ok(dashboard.uid && dashboard.title, 'uid and title');
  const known = await knownMetrics();
  const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: p.title ?? p.type, expr: t.expr ?? '' })));
  for (const v of dashboard.templating.list) {
    const q = typeof v.query === 'string' ? v.query : v.query?.query;
    if (v.type === 'query' && q) exprs.push({ where: `variable ${v.name}`, expr: q });
  }
  assert.ok(exprs.length >= 10, 'the panels have queries');
  const charted = new Set<string>();
  for (const { where, expr } of exprs) {
    const names = metricNames(expr);
    assert.ok(names.length > 0, `${where}: "${expr}" names a metric`);
    const allowed = new Set<string>(['job', 'pod', 'namespace']);
    for (const name of names) {
      const labels = known.get(name);
      assert.ok(labels, `${where}: ${name} is not a metric the component exposes`);
      for (const l of labels) allowed.add(l);
      charted.add(name.replace(/_(bucket|count|sum)$/, ''));
    }
    for (const label of labelsUsed(expr)) assert.ok(allowed.has(label), `${where}: label ${label} is not one of ${names.join(', ')}`);
  }
  const ours = [...known.keys()].filter((n) => n.startsWith(METRIC_PREFIX)).map((n) => n.replace(/_(bucket|count|sum)$/, ''));
  for (const name of new Set(ours)) assert.ok(charted.has(name), `the dashboard charts ${name}`);
});

test('docs/operations.md links the dashboard', () => {
  assert.match(readFileSync(new URL('docs/operations.md', root), 'utf8'), /\]\(\.\.\/deploy\/grafana\/dapr-mqtt-pluggable\.json\)/);
});
