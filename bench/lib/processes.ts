/**
 * Child processes of the bench (component, broker, no-op, load publisher, h2load): each started
 * here, tracked by its pid, stopped by that pid only (SIGTERM, then SIGKILL after a bound), and
 * killed by pid if the bench itself exits early.
 */
import { spawn, fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import net from 'node:net';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { connectAsync } from 'mqtt';

/**
 * dist/bench/lib → dist/src/main.js; BENCH_MAIN_JS runs another build of the project under the
 * same harness (a "before" build when recording an optimization's before/after figures).
 */
export const MAIN_JS = process.env.BENCH_MAIN_JS ?? fileURLToPath(new URL('../../src/main.js', import.meta.url));
export const NOOP_JS = fileURLToPath(new URL('../noop-component.js', import.meta.url));
export const PUBLISHER_JS = fileURLToPath(new URL('../tools/mqtt-publisher.js', import.meta.url));

const live = new Map<number, ChildProcess>();

process.once('exit', () => {
  for (const pid of live.keys()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

export interface Child {
  readonly pid: number;
  readonly name: string;
  readonly child: ChildProcess;
  /** The last 64 kB of stdout / stderr. */
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
  /** SIGTERM by pid; SIGKILL by pid after `timeoutMs`. Resolves once it has exited. */
  stop(timeoutMs?: number): Promise<void>;
}

function track(name: string, child: ChildProcess): Child {
  if (child.pid === undefined) throw new Error(`bench: could not spawn ${name}`);
  const pid = child.pid;
  live.set(pid, child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (out = (out + s).slice(-64_000)));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (err = (err + s).slice(-64_000)));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      live.delete(pid);
      resolve({ code, signal });
    });
  });
  return {
    pid,
    name,
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    hasExited: () => done,
    async stop(timeoutMs = 10_000) {
      if (done) return;
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // exited meanwhile
        }
      }, timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Spawns `node [nodeArgs] script args` with this environment plus `env`. */
export function spawnNode(name: string, script: string, args: readonly string[], env: Record<string, string>, nodeArgs: readonly string[] = []): Child {
  if (!existsSync(script)) throw new Error(`bench: ${script} not found: run \`npm run build\` first`);
  return track(name, spawn(process.execPath, [...nodeArgs, script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** Forks a Node script with an IPC channel (the load publisher). */
export function forkNode(name: string, script: string, args: readonly string[] = []): Child {
  if (!existsSync(script)) throw new Error(`bench: ${script} not found: run \`npm run build\` first`);
  return track(name, fork(script, [...args], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] }));
}

/** Spawns any executable (h2load, mosquitto, daprd), with this environment plus `env`. */
export function spawnExe(name: string, file: string, args: readonly string[], env: Record<string, string> = {}): Child {
  return track(name, spawn(file, [...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** Kills (SIGKILL, by pid) every child still running; for error paths. */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...live.entries()].map(
      ([pid, child]) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            resolve();
          }
        }),
    ),
  );
}

/** Polls `check` every 25 ms until true; fails after `timeoutMs` or when `abort` says why. */
export async function pollUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs: number, abort?: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    const why = abort?.();
    if (why !== undefined) throw new Error(`bench: ${what}: ${why}`);
    if (Date.now() > deadline) throw new Error(`bench: ${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function exitReason(c: Child): string | undefined {
  return c.hasExited() ? `${c.name} (pid ${c.pid}) exited; stderr: ${c.stderr().slice(-2000)}` : undefined;
}

async function socketAccepts(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isSocket()) return false;
  } catch {
    return false;
  }
  return new Promise((resolve) => {
    const s = net.connect({ path });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export async function waitForSocket(c: Child, path: string, timeoutMs = 15_000): Promise<void> {
  await pollUntil(() => socketAccepts(path), `${c.name} socket ${path}`, timeoutMs, () => exitReason(c));
}

export async function mqttAccepts(url: string): Promise<boolean> {
  try {
    const client = await connectAsync(url, { reconnectPeriod: 0, connectTimeout: 2_000, clean: true });
    await client.endAsync();
    return true;
  } catch {
    return false;
  }
}

export async function waitForMqtt(c: Child, url: string, timeoutMs = 15_000): Promise<void> {
  await pollUntil(() => mqttAccepts(url), `${c.name} at ${url}`, timeoutMs, () => exitReason(c));
}

/** Resident set size of `pid` now and its high-water mark, in bytes (Linux /proc). */
export async function readRss(pid: number): Promise<{ rss: number; hwm: number } | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number => Number(/(\d+) kB/.exec(status.split('\n').find((l) => l.startsWith(field)) ?? '')?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS:'), hwm: kb('VmHWM:') };
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `intervalMs` until stopped; `stop()` resolves with the peak. */
export function sampleRss(pid: number, intervalMs = 20): { stop(): Promise<number> } {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const r = await readRss(pid);
      if (r) peak = Math.max(peak, r.rss);
      await new Promise((res) => setTimeout(res, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const r = await readRss(pid);
      if (r) peak = Math.max(peak, r.rss);
      return peak;
    },
  };
}

/** Polls until `current() >= target` or `timeoutMs` passed (5 ms steps); true when reached. */
export async function waitForCount(current: () => number, target: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (current() < target) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}
