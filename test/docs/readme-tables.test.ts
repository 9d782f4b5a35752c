/**
 * The README a newcomer reads, and the reference tables in docs/: each table is what
 * scripts/docs-tables.ts renders from the code's declarations (metadata fields, environment
 * variables, error codes, metrics), so the docs cannot drift from the code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { PUBSUB_FIELDS, STATE_FIELDS } from '../../src/config/metadata-fields.js';
import { ENV_VARIABLES, parseEnvVariables } from '../../src/config/env-variables.js';
import { ERROR_CODES } from '../../src/errors/codes.js';
import { generatedBlocks, renderDocs, stateOwnFields } from '../../scripts/docs-tables.js';
import { checkComponent, type ComponentDoc } from './deploy-checks.js';
import { DEFAULT_SOCKET_NAME } from '../../src/config/env.js';

// The package root, from test/docs (tsx) or dist/test/docs (compiled).
const root = new URL(import.meta.url.includes('/dist/') ? '../../../' : '../../', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, root), 'utf8');

/** The rows of the Markdown table that starts with `header`, as trimmed cells. */
function tableRows(text: string, header: string): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(header));
  assert.ok(start >= 0, `a table "${header}"`);
  const rows: string[][] = [];
  for (let i = start + 2; i < lines.length && lines[i]!.startsWith('|'); i += 1) rows.push(lines[i]!.split('|').slice(1).map((c) => c.trim()));
  return rows;
}

test('every generated table in docs/ is what `npm run docs:tables` renders from the code now', async () => {
  const expected = await renderDocs(read);
  assert.ok(expected.size >= 3, 'configuration.md, errors.md, operations.md');
  for (const [file, text] of expected) {
    assert.ok(text === read(file), `${file} is out of date: run npm run docs:tables`);
  }
  // Each block is in place exactly once (renderDocs throws when one is missing).
  for (const b of await generatedBlocks()) {
    assert.equal(read(b.file).split(`<!-- generated: ${b.name} `).length, 2, `${b.file}: one "${b.name}" block`);
  }
});

test('configuration.md: one row per pub/sub field, state field and environment variable, with requiredness and defaults', () => {
  const text = read('docs/configuration.md');
  const pubsub = tableRows(text, '| Field |');
  assert.deepEqual(pubsub.map((r) => r[0]), PUBSUB_FIELDS.map((f) => `\`${f.name}\``));
  for (const f of PUBSUB_FIELDS) {
    const row = pubsub.find((r) => r[0] === `\`${f.name}\``)!;
    assert.equal(row[1], f.required ? 'yes' : 'no', `${f.name}: required`);
    assert.equal(row[2], f.default === undefined ? '—' : `\`${f.default}\``, `${f.name}: default`);
  }
  const state = tableRows(text, '| State field |');
  assert.deepEqual(state.map((r) => r[0]), stateOwnFields().map((f) => `\`${f.name}\``));
  const env = tableRows(text, '| Variable |');
  assert.deepEqual(env.map((r) => r[0]), Object.keys(ENV_VARIABLES).map((n) => `\`${n}\``));
  // A documented default is the value parsing applies when the variable is unset.
  const parsed = parseEnvVariables({}) as Record<string, unknown>;
  for (const [name, v] of Object.entries(ENV_VARIABLES)) {
    const row = env.find((r) => r[0] === `\`${name}\``)!;
    const declared = 'default' in v ? v.default : undefined;
    if (declared !== undefined) {
      assert.equal(row[1], `\`${declared}\``, `${name}: documented default`);
      assert.equal(String(parsed[name]), declared, `${name}: parsed default`);
    } else {
      assert.equal(parsed[name], undefined, `${name}: no default when unset`);
    }
  }
});

test('errors.md lists every error code with its gRPC status, and no other', () => {
  const rows = read('docs/errors.md').split('\n').filter((l) => /^\| `ERR_[A-Z_]+` \|/.test(l));
  const documented = new Map(rows.map((l) => {
    const cells = l.split('|').map((c) => c.trim().replace(/`/g, ''));
    return [cells[1], cells[2]] as const;
  }));
  for (const [code, spec] of Object.entries(ERROR_CODES)) assert.equal(documented.get(code), spec.status, `errors.md row for ${code}`);
  assert.deepEqual([...documented.keys()].sort(), Object.keys(ERROR_CODES).sort());
});

test('README: at most 200 lines; the run and test commands and a working Component YAML on the first screen', () => {
  const readme = read('README.md');
  const lines = readme.split('\n');
  assert.ok(lines.length <= 200, `README.md has ${lines.length} lines`);
  const firstScreen = lines.slice(0, 40).join('\n');
  assert.match(firstScreen, /^npm install && npm start\b/m, 'the run command');
  assert.match(firstScreen, /^npm install && npm test\b/m, 'the test command');
  const yaml = /```yaml\n([\s\S]*?)```/.exec(firstScreen)?.[1];
  assert.ok(yaml, 'a Component YAML on the first screen');
  const docs = parseAllDocuments(yaml).map((d) => d.toJS() as ComponentDoc);
  assert.equal(docs.length, 1);
  const doc = docs[0]!;
  checkComponent(doc, 'README.md', DEFAULT_SOCKET_NAME);
  // Working: every required field daprd does not fill in itself (consumerID = the app id) is set.
  const set = new Set((doc.spec.metadata ?? []).map((m) => m.name));
  for (const f of PUBSUB_FIELDS.filter((f) => f.required && f.name !== 'consumerID')) assert.ok(set.has(f.name), `README YAML sets ${f.name}`);
  // And it is components/pubsub.yaml without comments and defaults, as it says.
  const full = parse(read('components/pubsub.yaml')) as ComponentDoc;
  assert.equal(doc.spec.type, full.spec.type);
  for (const m of doc.spec.metadata ?? []) assert.deepEqual(full.spec.metadata?.find((f) => f.name === m.name)?.value, m.value, `${m.name} as in components/pubsub.yaml`);
  // The package scripts it names exist.
  const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
  for (const s of ['start', 'test', 'demo', 'docs:tables']) assert.ok(pkg.scripts[s], `npm run ${s}`);
});

test('components/pubsub.yaml uses the socket type and only declared metadata fields, and mentions them all', () => {
  const text = read('components/pubsub.yaml');
  const doc = parse(text) as { spec: { type: string; version: string; metadata: Array<{ name: string; value?: string }> } };
  assert.equal(doc.spec.type, 'pubsub.mqtt-pluggable');
  assert.equal(doc.spec.version, 'v1');
  const declared = new Set(PUBSUB_FIELDS.map((f) => f.name));
  for (const m of doc.spec.metadata) assert.ok(declared.has(m.name), `undeclared field ${m.name} in pubsub.yaml`);
  // Every field is at least mentioned (commented or set), so the YAML documents them all.
  for (const f of PUBSUB_FIELDS) assert.match(text, new RegExp(`name: ${f.name}\\b`), `pubsub.yaml mentions ${f.name}`);
});

test('components/statestore.yaml uses the socket type and only declared state fields, and mentions them all', () => {
  const text = read('components/statestore.yaml');
  const doc = parse(text) as { metadata: { name: string }; spec: { type: string; version: string; metadata: Array<{ name: string; value?: string }> } };
  assert.equal(doc.spec.type, 'state.mqtt-pluggable');
  assert.equal(doc.spec.version, 'v1');
  const declared = new Set(STATE_FIELDS.map((f) => f.name));
  for (const m of doc.spec.metadata) assert.ok(declared.has(m.name), `undeclared field ${m.name} in statestore.yaml`);
  for (const f of STATE_FIELDS) assert.match(text, new RegExp(`name: ${f.name}\\b`), `statestore.yaml mentions ${f.name}`);
});
