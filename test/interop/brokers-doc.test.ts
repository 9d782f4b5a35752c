import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { BROKER_PROFILES } from './broker-profiles.js';
import { renderBrokersDoc } from './brokers-doc.js';

// The package root, from test/interop (tsx) or dist/test/interop (compiled).
const root = new URL(import.meta.url.includes('/dist/') ? '../../../' : '../../', import.meta.url);

test('docs/brokers.md is rendered from the broker profiles (npm run docs:brokers)', () => {
  assert.equal(readFileSync(new URL('docs/brokers.md', root), 'utf8'), renderBrokersDoc(), 'docs/brokers.md is stale: run npm run docs:brokers');
});

test('every tested profile has its own interop test file, every untested one names its source', () => {
  for (const p of BROKER_PROFILES) {
    if (p.tested) assert.ok(readFileSync(new URL(`test/interop/${p.id}.test.ts`, root), 'utf8').includes(`brokerProfile('${p.id}')`), `${p.id}: no interop test`);
    else assert.ok(p.source?.startsWith('https://'), `${p.id}: untested profile without a source`);
  }
});
