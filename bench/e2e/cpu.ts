/**
 * E5: CPU time of a process (user + system, from /proc/<pid>/stat, in ms) so a run can report
 * CPU per 1,000 messages for each process under test, and its peak RSS (VmHWM).
 */
import { readFile } from 'node:fs/promises';
import { readRss } from '../lib/processes.js';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on Linux). */
const TICKS_PER_S = 100;

export async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at state (field 3).
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return ((utime + stime) * 1000) / TICKS_PER_S;
}

/** Snapshot of several processes' CPU; `since()` gives each one's CPU ms from the snapshot. */
export async function cpuSnapshot(pids: Readonly<Record<string, number>>): Promise<{ since(): Promise<Record<string, number>> }> {
  const start: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) start[name] = await cpuMs(pid);
  return {
    async since() {
      const out: Record<string, number> = {};
      for (const [name, pid] of Object.entries(pids)) out[name] = (await cpuMs(pid)) - (start[name] as number);
      return out;
    },
  };
}

export async function peakRss(pid: number): Promise<number> {
  return (await readRss(pid))?.hwm ?? Number.NaN;
}
