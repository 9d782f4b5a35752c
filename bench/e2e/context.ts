/** What every end-to-end benchmark gets, and the per-process CPU figures of E5. */
import type { MeasureSettings, Sample } from '../lib/measure.js';
import { cpuSnapshot } from './cpu.js';
import type { DaprSide, E2eSetup, SideName } from './setup.js';

export interface E2eContext {
  readonly setup: E2eSetup;
  readonly settings: MeasureSettings;
  readonly h2load: string;
  readonly tmp: string;
  /** E3: publish rate (msg/s) and seconds per run. */
  readonly latency: { readonly rate: number; readonly seconds: number };
}

/** The processes whose CPU a side's run is charged with (E5). */
export function processesOf(ctx: E2eContext, side: DaprSide, withState: boolean): Record<string, number> {
  const s = ctx.setup;
  const p: Record<string, number> = { daprd: side.daprd.pid, mosquitto: s.mosquitto.pid };
  if (side.name === 'ours') {
    p.component = s.component.pid;
    if (withState) p.broker = s.broker.pid;
  }
  return p;
}

/** Runs `body` (which handles `n` messages or operations) and adds CPU ms per 1,000 of each process to its sample. */
export async function withCpu(ctx: E2eContext, side: DaprSide, withState: boolean, n: number, body: () => Promise<Sample>): Promise<Sample> {
  const snap = await cpuSnapshot(processesOf(ctx, side, withState));
  const sample = await body();
  const used = await snap.since();
  const extra: Record<string, number | string | boolean> = { ...(sample.extra ?? {}) };
  for (const [name, ms] of Object.entries(used)) extra[`cpuMsPer1k_${name}`] = (ms * 1000) / n;
  return { ...sample, extra };
}

export type Sides = Record<SideName, DaprSide>;

/** 1 KiB JSON body ({"pad":"bbb…"} padded to `bytes`), optionally with fields before the padding. */
export function jsonBody(bytes: number, fields = ''): string {
  const head = `{${fields}${fields === '' ? '' : ','}"pad":"`;
  return `${head}${'b'.repeat(Math.max(0, bytes - head.length - 2))}"}`;
}
