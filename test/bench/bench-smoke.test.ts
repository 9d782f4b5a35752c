/**
 * Smoke run of the bench harness (bench/): every benchmark with tiny counts, no warm-up, one
 * round, so the harness does not rot. It checks that the harness works and produces a complete
 * report, never the figures (benchmarks are not tests; CI must not fail on a slow machine).
 * B5 needs Mosquitto and the h2load parts (B1, B4) need h2load (nghttp2-client): when one is
 * absent the test fails with one line naming it and how to get it (never skips).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBench } from '../../bench/harness.js';
import { hasH2load } from '../../bench/lib/h2load.js';
import { mqttAccepts } from '../../bench/lib/processes.js';
import { toJson, toMarkdown } from '../../bench/lib/report.js';
import { runE2e } from '../../bench/e2e/run-e2e.js';
import { e2eMarkdown } from '../../bench/e2e/report.js';
import { mosquittoUnreachable, requirePeer } from '../helpers/require-peer.js';

const MOSQUITTO_URL = process.env.BENCH_MOSQUITTO_URL ?? 'mqtt://127.0.0.1:1883';

test('bench harness: B1–B6 with tiny counts produce a complete report', { timeout: 60_000 }, async (t) => {
  const h2load = hasH2load();
  const mosquitto = await mqttAccepts(MOSQUITTO_URL);
  requirePeer(mosquitto ? false : mosquittoUnreachable(MOSQUITTO_URL));

  const results = await runBench({
    only: new Set(['B1', 'B2', 'B3', 'B4', 'B5', 'B6']),
    smoke: true,
    repeats: 1,
    warmup: false,
    targetSeconds: 0.2,
    scaling: false,
    requireH2load: false,
    mosquittoUrl: MOSQUITTO_URL,
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    profile: new Set(),
    profileDir: '/nonexistent',
    nackMessages: 200,
    latency: { rate: 2_000, seconds: 0.1 },
    log: () => undefined,
  });

  const ids = results.rows.map((r) => r.id);
  for (const id of ['B2', 'B2 ×8', 'B3 p50', 'B3 p99', 'B6 nack', 'B5']) {
    assert.ok(ids.includes(id), `row ${id} missing from ${ids.join(', ')}`);
  }
  for (const r of results.rows) {
    assert.ok(Number.isFinite(r.ours) && r.ours > 0, `${r.id}: ours is ${r.ours}`);
    assert.ok(Number.isFinite(r.baseline) && r.baseline > 0, `${r.id}: baseline is ${r.baseline}`);
  }
  assert.equal(results.b6?.nack.published, 200);
  assert.ok(results.machine.cores > 0);

  await t.test('B1 and B4 through h2load', () => {
    requirePeer(h2load ? false : 'h2load is not installed: apt-get install nghttp2-client');
    for (const id of ['B1', 'B4 Set', 'B4 Get']) assert.ok(ids.includes(id), `row ${id} missing from ${ids.join(', ')}`);
    // Every message got through and every gRPC call succeeded: the harness measured what it says.
    assert.equal(results.b1?.raw['1KiB-64']?.ours?.samples[0]?.extra?.lost, 0);
    assert.equal(results.b4?.raw.set?.ours?.samples[0]?.extra?.readBack, true);
    assert.equal(results.b4?.raw.get?.ours?.samples[0]?.extra?.failures, 0);
  });

  const md = toMarkdown(results);
  assert.match(md, /\| id \| what \| ours \| baseline \(same run\) \| ratio \| target \| holds \|/);
  assert.match(md, new RegExp(`\\*\\*${results.machine.cores} cores\\*\\*`));
  assert.doesNotThrow(() => JSON.parse(toJson(results)));
});

test('bench:e2e harness: E1–E4 with tiny counts through two daprd produce a complete report', { timeout: 90_000 }, async () => {
  // Needs daprd (scripts/install-dapr.sh), mosquitto and h2load: findDaprd and the set-up fail naming what is missing.
  const results = await runE2e({
    smoke: true,
    only: new Set(['E1', 'E2', 'E3', 'E4']),
    repeats: 1,
    seconds: 0.2,
    rate: 200,
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    command: 'smoke',
    log: () => undefined,
  });
  for (const [id, sides] of Object.entries({ ...results.e1, ...results.e2, ...results.e4, e3: results.e3 })) {
    for (const side of ['ours', 'builtin']) {
      const s = sides?.[side];
      assert.ok(s && Number.isFinite(s.median) && s.median > 0, `${id} ${side}: ${s?.median}`);
      assert.ok(Number.isFinite(s.extraMedians.cpuMsPer1k_daprd), `${id} ${side}: daprd CPU not measured`);
    }
  }
  assert.ok((results.peakRss.component ?? 0) > 0 && (results.peakRss['daprd (built-in)'] ?? 0) > 0);
  const md = e2eMarkdown(results);
  for (const id of ['E1 HTTP', 'E1 gRPC', 'E2 ×1', 'E2 ×8', 'E3 p50', 'E3 p99', 'E4 save', 'E4 get', 'E4 transaction']) assert.match(md, new RegExp(`\\| ${id} \\|`));
});
