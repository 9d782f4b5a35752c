/**
 * Summarizes V8 CPU profiles (`node --cpu-prof`, as written by `npm run bench -- --profile`):
 * the functions with the most self time, and where they live.
 *   node dist/bench/tools/top-functions.js <file.cpuprofile>... [--top 25]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface Hot {
  readonly name: string;
  readonly where: string;
  readonly selfMs: number;
  readonly share: number;
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '') || '(native)';
}

/** Self time per function (name + file + line), largest first. */
export function topFunctions(profile: Profile, top: number): Hot[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) self.set(samples[i] as number, (self.get(samples[i] as number) ?? 0) + (deltas[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const agg = new Map<string, { name: string; where: string; us: number }>();
  for (const [id, us] of self) {
    const n = byId.get(id);
    if (!n) continue;
    const name = n.callFrame.functionName || '(anonymous)';
    const where = `${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    const key = `${name}@${where}`;
    const a = agg.get(key) ?? { name, where, us: 0 };
    a.us += us;
    agg.set(key, a);
  }
  return [...agg.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((a) => ({ name: a.name, where: a.where, selfMs: a.us / 1000, share: total > 0 ? a.us / total : 0 }));
}

/** Self time per package / source file: where the time goes at a coarser grain. */
export function topFiles(profile: Profile, top: number): Hot[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const agg = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const n = byId.get(samples[i] as number);
    const us = deltas[i] ?? 0;
    total += us;
    const url = n ? shortUrl(n.callFrame.url) : '?';
    const pkg = url.includes('/') && !url.startsWith('dist/') ? url.split('/').slice(0, url.startsWith('@') ? 2 : 1).join('/') : url;
    const key = n && n.callFrame.url === '' ? `(${n.callFrame.functionName || 'native'})` : pkg;
    agg.set(key, (agg.get(key) ?? 0) + us);
  }
  return [...agg.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, where: '', selfMs: us / 1000, share: total > 0 ? us / total : 0 }));
}

function main(): void {
  const args = process.argv.slice(2);
  const t = args.indexOf('--top');
  const top = t >= 0 ? Number(args[t + 1]) : 25;
  const files = args.filter((a, i) => !a.startsWith('--') && (t < 0 || i !== t + 1));
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
    process.stdout.write(`\n${file} (${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s)\n\nby package/file:\n`);
    for (const h of topFiles(profile, 12)) process.stdout.write(`  ${(h.share * 100).toFixed(1).padStart(5)}%  ${h.name}\n`);
    process.stdout.write('\nby function (self time):\n');
    for (const h of topFunctions(profile, top)) process.stdout.write(`  ${(h.share * 100).toFixed(1).padStart(5)}%  ${h.name}  ${h.where}\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
