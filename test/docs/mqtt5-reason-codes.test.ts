/**
 * docs/mqtt5.md's reason-code table says what the code does: each row's error code and gRPC
 * status are what a broker refusal with that reason code produces (brokerRefusal, with the status
 * from src/errors/codes.ts), and every reason code with its own mapping has a row.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { brokerRefusal } from '../../src/mqtt/reason-codes.js';
import { ERROR_CODES, type ErrorCode } from '../../src/errors/codes.js';

const root = new URL(import.meta.url.includes('/dist/') ? '../../../' : '../../', import.meta.url);
const KINDS = ['publish', 'subscribe'] as const;

/** `STATUS` (`ERR_CODE`...) → [status, code], or undefined for `—`. */
function cell(text: string): [string, string] | undefined {
  if (text === '—') return undefined;
  const m = /^`([A-Z_]+)` \(`(ERR_[A-Z_]+)`/.exec(text);
  assert.ok(m, `a cell "\`STATUS\` (\`ERR_...\`)": ${text}`);
  return [m[1] ?? '', m[2] ?? ''];
}

test('docs/mqtt5.md: every reason-code row matches what the component answers, and every specially mapped code has a row', () => {
  const lines = readFileSync(new URL('docs/mqtt5.md', root), 'utf8').split('\n').map((l) => l.trim());
  const start = lines.findIndex((l) => l.startsWith('| Reason code |'));
  assert.ok(start >= 0, 'the reason-code table');
  const rows: string[][] = [];
  for (let i = start + 2; i < lines.length && lines[i]!.startsWith('|'); i += 1) rows.push(lines[i]!.split('|').slice(1, -1).map((c) => c.trim()));
  const documented = new Set<number>();
  for (const [reason = '', ...cells] of rows) {
    const codes = [...reason.matchAll(/0x([0-9A-F]{2})/gi)].map((m) => parseInt(m[1] ?? '', 16));
    assert.ok(codes.length > 0, `row "${reason}" names a reason code`);
    for (const code of codes) {
      documented.add(code);
      KINDS.forEach((kind, i) => {
        const expected = cell(cells[i] ?? '');
        if (expected === undefined) return;
        const err = brokerRefusal(kind, code, 'to "t"');
        assert.equal(err.code, expected[1], `${reason}, ${kind}: error code`);
        assert.equal(ERROR_CODES[err.code as ErrorCode].status, expected[0], `${reason}, ${kind}: gRPC status`);
      });
    }
  }
  // A code mapped to something other than the catch-all needs its own row.
  for (let code = 0x80; code <= 0xff; code += 1) {
    for (const kind of KINDS) {
      const err = brokerRefusal(kind, code, 'to "t"');
      if (!err.code.endsWith('_REJECTED')) assert.ok(documented.has(code), `reason code 0x${code.toString(16)} (${kind} → ${err.code}) has a row`);
    }
  }
});
