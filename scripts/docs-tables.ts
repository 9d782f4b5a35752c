/**
 * The reference tables in docs/, generated from their single sources: the metadata fields
 * (src/config/metadata-fields.ts), the environment variables (src/config/env-variables.ts), the
 * error codes (src/errors/codes.ts) and the metrics (src/metrics/component-metrics.ts).
 * `npm run docs:tables` rewrites each block between its markers
 *   <!-- generated: <name> (npm run docs:tables) --> ... <!-- end generated: <name> -->
 * and test/docs/readme-tables.test.ts fails when a file differs from what this renders.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONNECTION_FIELDS, PUBSUB_FIELDS, STATE_FIELDS, type MetadataField } from '../src/config/metadata-fields.js';
import { ENV_VARIABLES, type EnvVariable } from '../src/config/env-variables.js';
import { ERROR_CODES } from '../src/errors/codes.js';
import { createComponentMetrics, METRIC_PREFIX } from '../src/metrics/component-metrics.js';

/** The package root, from scripts/ (tsx) or dist/scripts/ (compiled). */
export const DOCS_ROOT = new URL(import.meta.url.includes('/dist/') ? '../../' : '../', import.meta.url);

const code = (s: string): string => `\`${s}\``;
const table = (header: string[], rows: string[][]): string =>
  [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

const fieldRow = (f: MetadataField): string[] => [
  code(f.name),
  f.required ? 'yes' : 'no',
  f.default === undefined ? '—' : code(f.default),
  `${f.description}${f.sensitive ? ' *Sensitive: never logged.*' : ''}`,
];

export function pubsubFieldsTable(): string {
  return table(['Field', 'Required', 'Default', 'Description'], PUBSUB_FIELDS.map(fieldRow));
}

/** The state store's own fields, and clientId whose meaning differs; the others are the connection fields. */
export function stateOwnFields(): MetadataField[] {
  const connection = new Set(CONNECTION_FIELDS.map((f) => f.name));
  return STATE_FIELDS.filter((f) => !connection.has(f.name) || f.name === 'clientId');
}

/** The connection fields the state store shares with pub/sub (named in a sentence), then its own table. */
export function stateFieldsTable(): string {
  const own = new Set(stateOwnFields().map((f) => f.name));
  const shared = STATE_FIELDS.filter((f) => !own.has(f.name)).map((f) => code(f.name));
  const sentence = `\`state.mqtt-pluggable\` takes the connection fields of the pub/sub table (${shared.join(', ')}) with the same meaning, and these:`;
  return `${sentence}\n\n${table(['State field', 'Required', 'Default', 'Description'], stateOwnFields().map(fieldRow))}`;
}

/** What a variable accepts, in words. */
export function envAccepts(v: EnvVariable): string {
  switch (v.kind) {
    case 'choice':
      return v.allowed.map(code).join(', ');
    case 'integer':
      return `${v.min}-${v.max}`;
    case 'port':
      return v.allowOff === true ? `port 0-65535, ${code('off')}` : 'port 0-65535';
    case 'boolean':
      return `${code('true')}, ${code('false')}`;
    case 'secret':
      return 'text (never logged)';
    case 'text':
      return v.patternText ?? (v.fallback !== undefined ? `text (else ${code(v.fallback)})` : 'text');
  }
}

export function envDefault(v: EnvVariable): string {
  return v.default !== undefined ? code(v.default) : (v.defaultNote ?? '—');
}

export function envTable(): string {
  const rows = (Object.entries(ENV_VARIABLES) as Array<[string, EnvVariable]>).map(([name, v]) => [
    code(name),
    envDefault(v),
    envAccepts(v),
    v.modes.join(', '),
    v.meaning,
  ]);
  return table(['Variable', 'Default', 'Accepts', 'Read by', 'Meaning'], rows);
}

export function errorsTable(): string {
  return table(
    ['Code', 'gRPC status', 'Meaning'],
    Object.entries(ERROR_CODES).map(([name, e]) => [code(name), code(e.status), e.description]),
  );
}

/** Every metric this program defines (`mqtt_pluggable_*`), broker gauges included. */
export async function ourMetrics(): Promise<Array<{ name: string; type: string; labels: string[]; help: string }>> {
  const metrics = createComponentMetrics({ defaultMetrics: false });
  const stop = metrics.observeBroker({ connectedClients: () => 0, sessions: async () => 0 });
  const json = await metrics.registry.getMetricsAsJSON();
  const labels = new Map(metrics.registry.getMetricsAsArray().map((m) => [m.name, [...((m as unknown as { labelNames?: string[] }).labelNames ?? [])]]));
  stop();
  return json
    .filter((m) => m.name.startsWith(METRIC_PREFIX))
    .map((m) => ({ name: m.name, type: String(m.type), labels: labels.get(m.name) ?? [], help: m.help }));
}

export async function metricsTable(): Promise<string> {
  const rows = (await ourMetrics()).map((m) => [code(m.name), m.type, m.labels.length === 0 ? '—' : m.labels.map(code).join(', '), m.help]);
  return table(['Metric', 'Type', 'Labels', 'Meaning'], rows);
}

/** Each generated block: the file it lives in, and its content. */
export async function generatedBlocks(): Promise<Array<{ file: string; name: string; content: string }>> {
  return [
    { file: 'docs/configuration.md', name: 'pubsub-metadata', content: pubsubFieldsTable() },
    { file: 'docs/configuration.md', name: 'state-metadata', content: stateFieldsTable() },
    { file: 'docs/configuration.md', name: 'environment', content: envTable() },
    { file: 'docs/errors.md', name: 'error-codes', content: errorsTable() },
    { file: 'docs/operations.md', name: 'metrics', content: await metricsTable() },
  ];
}

const begin = (name: string): string => `<!-- generated: ${name} (npm run docs:tables) -->`;
const end = (name: string): string => `<!-- end generated: ${name} -->`;

/** `text` with the block `name` replaced by `content`; throws when the markers are missing. */
export function replaceBlock(text: string, file: string, name: string, content: string): string {
  const from = text.indexOf(begin(name));
  const to = text.indexOf(end(name));
  if (from < 0 || to < from) throw new Error(`${file}: no "${begin(name)}" ... "${end(name)}" block`);
  return `${text.slice(0, from)}${begin(name)}\n${content}\n${text.slice(to)}`;
}

/** Every docs file with its blocks as generated now: file → expected text. */
export async function renderDocs(read: (file: string) => string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const b of await generatedBlocks()) out.set(b.file, replaceBlock(out.get(b.file) ?? read(b.file), b.file, b.name, b.content));
  return out;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const read = (file: string): string => readFileSync(new URL(file, DOCS_ROOT), 'utf8');
  for (const [file, text] of await renderDocs(read)) {
    if (text !== read(file)) {
      writeFileSync(new URL(file, DOCS_ROOT), text);
      process.stdout.write(`updated ${file}\n`);
    }
  }
}
