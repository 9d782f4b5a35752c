import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseOrder } from '../../examples/shared/orders.js';
import { root } from './deploy-checks.js';

// The example apps (examples/) are not part of the root build: type-check them here so they
// cannot rot when @dapr/dapr or the shared names change.
test('examples type-check (tsc -p examples/tsconfig.json --noEmit)', () => {
  const tsc = fileURLToPath(new URL('node_modules/typescript/bin/tsc', root));
  const r = spawnSync(process.execPath, [tsc, '-p', 'examples/tsconfig.json', '--noEmit'], {
    cwd: fileURLToPath(root),
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.error, undefined, String(r.error));
  assert.equal(r.status, 0, `tsc reported:\n${r.stdout}${r.stderr}`);
});

test('parseOrder: the publisher\'s bad orders (quantity 0) are what the subscriber nacks once', () => {
  const good = { id: 'r-1', item: 'mouse', quantity: 2, createdAt: '2026-01-01T00:00:00Z' };
  assert.deepEqual(parseOrder(good), { ok: true, order: good });
  const bad = parseOrder({ ...good, id: 'r-10', quantity: 0 });
  assert.equal(bad.ok, false);
  assert.equal(!bad.ok && bad.id, 'r-10', 'a bad order keeps its id, so its redelivery is recognised');
  assert.equal(parseOrder('text').ok, false);
  assert.equal(parseOrder({ ...good, item: '' }).ok, false);
});
