/**
 * Rewrites the metadata and error tables in README.md from their single sources
 * (src/config/metadata-fields.ts, src/errors/codes.ts). `npm run docs:tables`;
 * test/docs/readme-tables.test.ts fails when they drift.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { CONNECTION_FIELDS, PUBSUB_FIELDS, STATE_FIELDS, type MetadataField } from '../src/config/metadata-fields.js';
import { ERROR_CODES } from '../src/errors/codes.js';

const row = (f: MetadataField): string =>
  `| \`${f.name}\` | ${f.required ? 'yes' : 'no'} | ${f.default === undefined ? '—' : `\`${f.default}\``} | ${f.description}${f.sensitive ? ' *Sensitive: never logged.*' : ''} |`;
const fields = ['| Field | Required | Default | Description |', '|---|---|---|---|', ...PUBSUB_FIELDS.map(row)].join('\n');
/** The state store table: its own fields, and clientId whose meaning differs; the others are the connection fields above. */
const connectionNames = new Set(CONNECTION_FIELDS.map((f) => f.name));
const stateOwn = STATE_FIELDS.filter((f) => !connectionNames.has(f.name) || f.name === 'clientId');
const stateFields = ['| State field | Required | Default | Description |', '|---|---|---|---|', ...stateOwn.map(row)].join('\n');
const errors = [
  '| Code | gRPC status | Meaning |',
  '|---|---|---|',
  ...Object.entries(ERROR_CODES).map(([code, e]) => `| \`${code}\` | \`${e.status}\` | ${e.description} |`),
].join('\n');

const path = new URL('../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8')
  .replace(/\| Field \| Required \| Default \| Description \|\n(\|.*\n)+/, `${fields}\n`)
  .replace(/\| State field \| Required \| Default \| Description \|\n(\|.*\n)+/, `${stateFields}\n`)
  .replace(/\| Code \| gRPC status \| Meaning \|\n(\|.*\n)+/, `${errors}\n`);
writeFileSync(path, readme);
