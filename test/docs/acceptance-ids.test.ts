/**
 * The acceptance IDs tests cite (R3, N1, S9, D2, I1, ..., and the benchmark IDs B1-B6) mean
 * something a reader can look up: each one cited anywhere under test/ is defined in
 * docs/testing.md (B rows: in bench/README.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../../' : '../../', import.meta.url));
const read = (file: string): string => readFileSync(join(root, file), 'utf8');

/** IDs defined by a Markdown table: rows `| R1 | ... |`. */
function definedIds(markdown: string): Map<string, string> {
  return new Map([...markdown.matchAll(/^\| ([RNSDIB]\d+) \| (.+) \|$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

/** IDs cited in a source text: single (`R3`) and ranges (`R3-R7`, `S1–S8`). */
export function citedIds(text: string): string[] {
  const ids: string[] = [];
  const ranges = /\b([RNSDIB])(\d{1,2})\s*[-–]\s*\1?(\d{1,2})\b/g;
  for (const m of text.matchAll(ranges)) {
    const [from, to] = [Number(m[2]), Number(m[3])];
    for (let i = from; i <= to && to - from < 50; i += 1) ids.push(`${m[1]}${i}`);
  }
  for (const m of text.replace(ranges, ' ').matchAll(/\b([RNSDIB])(\d{1,2})\b/g)) ids.push(`${m[1]}${m[2]}`);
  return ids;
}

function testFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) testFiles(p, out);
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

test('citations are read the way they are written: single IDs and ranges', () => {
  assert.deepEqual(citedIds('conformance (acceptance R3-R7, N1, N6–N8) and S1–S3; B5 row; not R2D2 or TLS1 or v1'), ['R3', 'R4', 'R5', 'R6', 'R7', 'N6', 'N7', 'N8', 'S1', 'S2', 'S3', 'N1', 'B5']);
});

test('docs/testing.md defines R1-R9, N1-N21, S1-S10, D1-D7 and I1-I3, each with its meaning', () => {
  const ids = definedIds(read('docs/testing.md'));
  const expected = [
    ...Array.from({ length: 9 }, (_, i) => `R${i + 1}`),
    ...Array.from({ length: 21 }, (_, i) => `N${i + 1}`),
    ...Array.from({ length: 10 }, (_, i) => `S${i + 1}`),
    ...Array.from({ length: 7 }, (_, i) => `D${i + 1}`),
    ...Array.from({ length: 3 }, (_, i) => `I${i + 1}`),
  ];
  assert.deepEqual([...ids.keys()].sort(), expected.sort());
  for (const [id, meaning] of ids) assert.ok(meaning.length >= 20, `${id} says what it means`);
});

test('every acceptance or benchmark ID a test file cites is defined', () => {
  const defined = new Set([...definedIds(read('docs/testing.md')).keys(), ...definedIds(read('bench/README.md')).keys()]);
  const undefinedIds: string[] = [];
  let cited = 0;
  for (const file of testFiles(join(root, 'test'))) {
    // Only comments and strings cite IDs; the whole text is read (an ID in code is a citation too).
    for (const id of new Set(citedIds(readFileSync(file, 'utf8')))) {
      cited += 1;
      if (!defined.has(id)) undefinedIds.push(`${relative(root, file)} cites ${id}`);
    }
  }
  assert.ok(cited >= 30, `only ${cited} citations found: is the pattern right?`);
  assert.deepEqual(undefinedIds, []);
});
