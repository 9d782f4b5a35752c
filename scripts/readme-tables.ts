/**
 * Rewrites the metadata and error tables in README.md from their single sources
 * (src/config/metadata-fields.ts, src/errors/codes.ts). `npm run docs:tables`;
 * test/docs/readme-tables.test.ts fails when they drift.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { PUBSUB_FIELDS } from '../src/config/metadata-fields.js';
import { ERROR_CODES } from '../src/errors/codes.js';

const fields = [
  '| Field | Required | Default | Description |',
  '|---|---|---|---|',
  ...PUBSUB_FIELDS.map(
    (f) =>
      `| \`${f.name}\` | ${f.required ? 'yes' : 'no'} | ${f.default === undefined ? '—' : `\`${f.default}\``} | ${f.description}${f.sensitive ? ' *Sensitive: never logged.*' : ''} |`,
  ),
].join('\n');
const errors = [
  '| Code | gRPC status | Meaning |',
  '|---|---|---|',
  ...Object.entries(ERROR_CODES).map(([code, e]) => `| \`${code}\` | \`${e.status}\` | ${e.description} |`),
].join('\n');

const path = new URL('../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8')
  .replace(/\| Field \| Required \| Default \| Description \|\n(\|.*\n)+/, `${fields}\n`)
  .replace(/\| Code \| gRPC status \| Meaning \|\n(\|.*\n)+/, `${errors}\n`);
writeFileSync(path, readme);
