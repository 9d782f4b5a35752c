/**
 * Memory of a child process as Linux accounts it (/proc/<pid>/status): VmRSS now and VmHWM, the
 * peak resident set size since the process started. Values in MiB.
 */
import { readFileSync } from 'node:fs';

export interface ProcessMemory {
  /** Resident set size now. */
  readonly rssMiB: number;
  /** Peak resident set size since the process started. */
  readonly peakMiB: number;
}

function field(status: string, name: string): number {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (!m) throw new Error(`/proc status has no ${name}`);
  return Number(m[1]) / 1024;
}

export function processMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rssMiB: field(status, 'VmRSS'), peakMiB: field(status, 'VmHWM') };
}

/** MiB with one decimal, for diagnostics. */
export const mib = (n: number): string => `${n.toFixed(1)} MiB`;
