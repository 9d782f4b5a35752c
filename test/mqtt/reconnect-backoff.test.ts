import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, roundBackoffDelay } from '../../src/mqtt/reconnect-backoff.js';

const opts = { initialMs: 500, maxMs: 15_000 };

test('reconnect backoff doubles from the initial delay and is capped', () => {
  const mid = (): number => 0.5; // no jitter
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, opts, mid)), [500, 1000, 2000, 4000, 8000, 15000, 15000]);
  assert.equal(backoffDelay(1_000, opts, mid), 15_000, 'huge attempt counts stay capped');
});

test('jitter spreads delays by ±25 % and never exceeds 1.25 × the cap', () => {
  assert.equal(backoffDelay(0, opts, () => 0), 375);
  assert.equal(backoffDelay(0, opts, () => 0.999999), 625);
  const seen = new Set(Array.from({ length: 200 }, () => backoffDelay(3, opts)));
  assert.ok(seen.size > 50, 'delays differ between replicas');
  for (const d of seen) assert.ok(d >= 3000 && d <= 5000);
  assert.ok(backoffDelay(40, opts, () => 0.999999) <= 18_750);
});

test('with several brokers in url, one round through the list shares a delay; the backoff grows per round', () => {
  const mid = (): number => 0.5;
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((n) => roundBackoffDelay(n, 3, opts, mid)), [500, 500, 500, 1000, 1000, 1000, 2000]);
  assert.deepEqual([0, 1, 2].map((n) => roundBackoffDelay(n, 1, opts, mid)), [500, 1000, 2000], 'one broker: as backoffDelay');
  assert.equal(roundBackoffDelay(3, 0, opts, mid), 4000, 'no list counts as one broker');
});
