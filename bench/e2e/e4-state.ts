/**
 * E4: state through daprd's HTTP API, 64 connections (h2load --h1), 256 B values: save (one
 * key), get (one key, saved before), transaction (two upserts). Ours: daprd → our component →
 * the state service in the bundled broker; built-in: daprd → state.redis → the machine's Redis.
 * A run counts only when every request answered 2xx; get's value is read back once after.
 */
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { compare, type Series, type Side } from '../lib/measure.js';
import { withCpu, type E2eContext } from './context.js';
import { httpLoad } from './load.js';
import { SIDES, type DaprSide } from './setup.js';

export const E4_SIZING = { warmup: 1_000, min: 1_000, max: 200_000, smoke: 200 };
export const E4_OPS = ['save', 'get', 'transaction'] as const;
type Op = (typeof E4_OPS)[number];
const CONNS = 64;
const VALUE = 'v'.repeat(256);

function side(ctx: E2eContext, s: DaprSide, op: Op, files: Record<Op, string | undefined>): Side {
  const base = `http://127.0.0.1:${s.httpPort}/v1.0/state/statestore`;
  const url = op === 'save' ? base : op === 'get' ? `${base}/e4-key` : `${base}/transaction`;
  return (n) =>
    withCpu(ctx, s, true, n, async () => {
      const r = await httpLoad({ h2load: ctx.h2load, url, bodyFile: files[op], requests: n, conns: CONNS });
      if (r.ok2xx !== n) throw new Error(`bench:e2e: E4 ${op} ${s.name}: ${r.ok2xx} of ${n} answered 2xx\n${r.raw.slice(-600)}`);
      return { value: n / (r.wallMs / 1000), n, ms: r.wallMs };
    });
}

async function readBack(s: DaprSide): Promise<void> {
  const r = await fetch(`http://127.0.0.1:${s.httpPort}/v1.0/state/statestore/e4-key`);
  const text = await r.text();
  if (r.status !== 200 || text !== JSON.stringify(VALUE)) throw new Error(`bench:e2e: E4 ${s.name}: read back ${r.status} ${text.slice(0, 80)}`);
}

export async function runE4(ctx: E2eContext): Promise<Record<string, Record<string, Series>>> {
  const save = join(ctx.tmp, 'e4-save.json');
  const txn = join(ctx.tmp, 'e4-txn.json');
  await writeFile(save, JSON.stringify([{ key: 'e4-key', value: VALUE }]));
  await writeFile(txn, JSON.stringify({ operations: ['e4-t1', 'e4-t2'].map((key) => ({ operation: 'upsert', request: { key, value: VALUE } })) }));
  const files: Record<Op, string | undefined> = { save, get: undefined, transaction: txn };
  const out: Record<string, Record<string, Series>> = {};
  for (const op of E4_OPS) {
    const sides = Object.fromEntries(SIDES.map((name) => [name, side(ctx, ctx.setup.sides[name], op, files)]));
    out[op] = await compare(`E4 state ${op}`, sides, E4_SIZING, ctx.settings);
    if (op === 'save') for (const name of SIDES) await readBack(ctx.setup.sides[name]);
  }
  return out;
}
