import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { CONNECTION_FIELDS, PUBSUB_FIELDS, STATE_FIELDS } from '../../src/config/metadata-fields.js';
import { ERROR_CODES } from '../../src/errors/codes.js';

// The package root, from test/docs (tsx) or dist/test/docs (compiled).
const root = new URL(import.meta.url.includes('/dist/') ? '../../../' : '../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');

test('README metadata table has one row per field, with its requiredness and default', () => {
  for (const f of PUBSUB_FIELDS) {
    const row = readme.split('\n').find((l) => l.startsWith(`| \`${f.name}\` |`));
    assert.ok(row, `README has no metadata row for ${f.name}`);
    const cells = row.split('|').map((c) => c.trim());
    assert.equal(cells[2], f.required ? 'yes' : 'no', `${f.name}: required`);
    assert.equal(cells[3], f.default === undefined ? '—' : `\`${f.default}\``, `${f.name}: default`);
  }
});

test('README state store table has a row for every state field that is not a plain connection field, and only those', () => {
  const lines = readme.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| State field |'));
  assert.ok(start >= 0, 'README has a "| State field |" table');
  const rows: string[][] = [];
  for (let i = start + 2; i < lines.length && lines[i]!.startsWith('|'); i += 1) rows.push(lines[i]!.split('|').map((c) => c.trim()));
  const connection = new Set(CONNECTION_FIELDS.map((f) => f.name));
  const expected = STATE_FIELDS.filter((f) => !connection.has(f.name) || f.name === 'clientId');
  assert.deepEqual(rows.map((c) => c[1]), expected.map((f) => `\`${f.name}\``));
  for (const f of expected) {
    const cells = rows.find((c) => c[1] === `\`${f.name}\``)!;
    assert.equal(cells[2], f.required ? 'yes' : 'no', `${f.name}: required`);
    assert.equal(cells[3], f.default === undefined ? '—' : `\`${f.default}\``, `${f.name}: default`);
  }
});

test('README error table lists every error code with its gRPC status, and no other', () => {
  const rows = readme.split('\n').filter((l) => /^\| `ERR_[A-Z_]+` \|/.test(l));
  const documented = new Map(rows.map((l) => {
    const cells = l.split('|').map((c) => c.trim().replace(/`/g, ''));
    return [cells[1], cells[2]] as const;
  }));
  for (const [code, spec] of Object.entries(ERROR_CODES)) {
    assert.equal(documented.get(code), spec.status, `README row for ${code}`);
  }
  assert.deepEqual([...documented.keys()].sort(), Object.keys(ERROR_CODES).sort());
});

test('components/pubsub.yaml uses the socket type and only declared metadata fields', () => {
  const doc = parse(readFileSync(new URL('components/pubsub.yaml', root), 'utf8')) as {
    spec: { type: string; version: string; metadata: Array<{ name: string; value?: string }> };
  };
  assert.equal(doc.spec.type, 'pubsub.mqtt-pluggable');
  assert.equal(doc.spec.version, 'v1');
  const declared = new Set(PUBSUB_FIELDS.map((f) => f.name));
  for (const m of doc.spec.metadata) assert.ok(declared.has(m.name), `undeclared field ${m.name} in pubsub.yaml`);
  // Every field is at least mentioned (commented or set), so the YAML documents them all.
  const text = readFileSync(new URL('components/pubsub.yaml', root), 'utf8');
  for (const f of PUBSUB_FIELDS) assert.match(text, new RegExp(`name: ${f.name}\\b`), `pubsub.yaml mentions ${f.name}`);
});

test('components/statestore.yaml uses the socket type and only declared state fields, and mentions them all', () => {
  const text = readFileSync(new URL('components/statestore.yaml', root), 'utf8');
  const doc = parse(text) as { metadata: { name: string }; spec: { type: string; version: string; metadata: Array<{ name: string; value?: string }> } };
  assert.equal(doc.spec.type, 'state.mqtt-pluggable');
  assert.equal(doc.spec.version, 'v1');
  const declared = new Set(STATE_FIELDS.map((f) => f.name));
  for (const m of doc.spec.metadata) assert.ok(declared.has(m.name), `undeclared field ${m.name} in statestore.yaml`);
  for (const f of STATE_FIELDS) assert.match(text, new RegExp(`name: ${f.name}\\b`), `statestore.yaml mentions ${f.name}`);
});
