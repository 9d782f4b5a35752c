/**
 * h2load (Debian package nghttp2-client) as the gRPC load generator: one HTTP/2 connection over
 * the component's Unix socket, many concurrent streams, every request the same pre-encoded gRPC
 * frame. h2load counts HTTP statuses only; a gRPC failure is an HTTP 200 whose trailers carry
 * grpc-status, so callers check success themselves (received DATA bytes, arrivals, read-back).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnExe } from './processes.js';

export interface H2loadResult {
  /** Requests h2load counted as succeeded (HTTP 2xx: says nothing about grpc-status). */
  readonly succeeded: number;
  readonly failed: number;
  readonly errored: number;
  /** h2load's own figure. */
  readonly reqPerSec: number;
  /** DATA bytes received: gRPC response frames (a failed call has none). */
  readonly dataBytes: number;
  /** Wall time measured by the bench from spawn to exit (ms). */
  readonly wallMs: number;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly raw: string;
}

function findH2load(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v h2load'], { encoding: 'utf8' });
  const path = r.stdout.trim();
  return r.status === 0 && path !== '' ? path : undefined;
}

/**
 * The h2load path. Installs nghttp2-client with apt-get when missing (as root, or with
 * password-less sudo) if `install` is true; throws a message that says what to do otherwise.
 */
export function ensureH2load(install = true): string {
  const found = findH2load();
  if (found) return found;
  if (install) {
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    const sudo = !root && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
    if (root || sudo) {
      const apt = (...args: string[]): boolean => {
        const [file, argv] = root ? ['apt-get', args] : ['sudo', ['-n', 'apt-get', ...args]];
        try {
          execFileSync(file as string, argv as string[], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
          return true;
        } catch {
          return false;
        }
      };
      process.stderr.write('bench: h2load is missing; installing nghttp2-client with apt-get\n');
      // The package lists may be missing or stale (a fresh container): update once, then retry.
      if (!apt('install', '-y', 'nghttp2-client') && apt('update')) apt('install', '-y', 'nghttp2-client');
      const after = findH2load();
      if (after) return after;
    }
  }
  throw new Error(
    'bench: h2load (Debian/Ubuntu package nghttp2-client) is not installed and could not be installed here ' +
      '(that needs root or password-less sudo, and apt-get). Install it with `apt-get install -y nghttp2-client` and run again.',
  );
}

export function hasH2load(): boolean {
  return findH2load() !== undefined;
}

export interface H2loadRun {
  readonly h2load: string;
  readonly socketPath: string;
  /** e.g. dapr.proto.components.v1.PubSub/Publish */
  readonly method: string;
  /** The request body file (a gRPC frame). */
  readonly bodyFile: string;
  readonly instance: string;
  readonly requests: number;
  /** Concurrent streams on the one connection. */
  readonly streams: number;
  readonly timeoutMs?: number;
}

/** Writes a request body once; returns its path. */
export async function writeBody(dir: string, name: string, frame: Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, frame);
  return path;
}

function num(re: RegExp, text: string): number {
  const m = re.exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

export function parseH2load(text: string): Omit<H2loadResult, 'wallMs' | 'startedAt' | 'endedAt' | 'raw'> {
  return {
    succeeded: num(/requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded/, text),
    failed: num(/succeeded, (\d+) failed/, text),
    errored: num(/failed, (\d+) errored/, text),
    reqPerSec: num(/finished in [\d.]+m?s, ([\d.]+) req\/s/, text),
    dataBytes: num(/headers \(space savings [\d.]+%\), [\d.]+[KMG]?B \((\d+)\) data/, text),
  };
}

/** Runs h2load once: `-c1 -m<streams> -n<requests>` over the Unix socket. */
export async function runH2load(run: H2loadRun): Promise<H2loadResult> {
  const args = [
    '-B',
    `unix:${run.socketPath}`,
    '-c1',
    `-m${run.streams}`,
    `-n${run.requests}`,
    '-d',
    run.bodyFile,
    '-H',
    'content-type: application/grpc',
    '-H',
    'te: trailers',
    '-H',
    `x-component-instance: ${run.instance}`,
    // Bounded: a stuck server ends the run instead of hanging the bench.
    `-T${Math.ceil((run.timeoutMs ?? 120_000) / 1000)}`,
    `http://localhost/${run.method}`,
  ];
  const startedAt = performance.now();
  const child = spawnExe('h2load', run.h2load, args);
  const exit = await child.exited;
  const endedAt = performance.now();
  const raw = child.stdout();
  if (exit.code !== 0) throw new Error(`bench: h2load exited ${exit.code ?? exit.signal}: ${child.stderr().slice(-1000)}${raw.slice(-1000)}`);
  return { ...parseH2load(raw), wallMs: endedAt - startedAt, startedAt, endedAt, raw };
}
