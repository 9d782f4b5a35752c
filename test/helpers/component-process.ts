/**
 * The component as daprd sees it in production: `node dist/src/main.js` in a child process,
 * with its own temp socket folder. Children are tracked by pid and killed (by pid) by
 * `killAllComponentProcesses()` (call it in `after`) and on test-process exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

/** dist/test/helpers/ → dist/src/main.js */
export const MAIN_JS = fileURLToPath(new URL('../../src/main.js', import.meta.url));

export interface ComponentProcessOptions {
  /** Socket folder; default a new temp folder (removed by `cleanup()`). */
  socketFolder?: string;
  /** MQTT_SOCKET_NAME; default `mqtt-pluggable`. */
  socketName?: string;
  /** Extra environment; by default the bundled broker is off (`MQTT_BROKER=off`). */
  env?: Record<string, string>;
  /** Arguments after main.js (e.g. `['broker']`). */
  args?: string[];
  /** How long to wait for the socket file; default 15 s. */
  readyTimeoutMs?: number;
  /** Wait for a new socket file that accepts connections before resolving; default true. */
  waitForSocket?: boolean;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ComponentProcess {
  readonly pid: number;
  readonly socketFolder: string;
  readonly socketPath: string;
  /** Everything the child wrote to stdout / stderr so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves when the child has exited. */
  readonly exited: Promise<ExitInfo>;
  readonly hasExited: boolean;
  /**
   * Sends `signal` (default SIGTERM) and waits for the exit; after `timeoutMs` (default 10 s)
   * kills it with SIGKILL and rejects.
   */
  stop(options?: { signal?: NodeJS.Signals; timeoutMs?: number }): Promise<ExitInfo>;
  /** kill -9 by pid; waits for the exit. */
  kill(): Promise<ExitInfo>;
  /** Kills the child if still running and removes a temp socket folder this helper made. */
  cleanup(): Promise<void>;
}

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

/** Kills (SIGKILL, by pid) every child this helper started that is still running. */
export async function killAllComponentProcesses(): Promise<void> {
  await Promise.all(
    [...live.entries()].map(
      ([pid, child]) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) {
            live.delete(pid);
            resolve();
            return;
          }
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

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string, abort?: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    const reason = abort?.();
    if (reason !== undefined) throw new Error(`${what}: ${reason}`);
    if (Date.now() > deadline) throw new Error(`${what}: timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Inode of the socket file at `p`, or undefined when there is none. */
async function socketInode(p: string): Promise<number | undefined> {
  try {
    const s = await stat(p);
    return s.isSocket() ? s.ino : undefined;
  } catch {
    return undefined;
  }
}

function acceptsConnections(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ path: socketPath });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Spawns the component and (by default) waits until its socket file exists. */
export async function startComponentProcess(options: ComponentProcessOptions = {}): Promise<ComponentProcess> {
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} not found: build first (npx tsc -p .)`);
  const ownFolder = options.socketFolder === undefined;
  const socketFolder = options.socketFolder ?? (await mkdtemp(path.join(tmpdir(), 'mqtt-sock-')));
  const socketName = options.socketName ?? 'mqtt-pluggable';
  const socketPath = path.join(socketFolder, `${socketName}.sock`);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    DAPR_COMPONENTS_SOCKETS_FOLDER: socketFolder,
    MQTT_SOCKET_NAME: socketName,
    MQTT_BROKER: 'off',
    LOG_LEVEL: 'info',
    ...options.env,
  };
  const child = spawn(process.execPath, [MAIN_JS, ...(options.args ?? [])], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) {
    throw new Error('could not spawn the component process');
  }
  const pid = child.pid;
  live.set(pid, child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  let exitInfo: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      live.delete(pid);
      resolve(exitInfo);
    });
  });

  const killNow = async (): Promise<ExitInfo> => {
    if (exitInfo !== undefined) return exitInfo;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
    return exited;
  };

  const handle: ComponentProcess = {
    pid,
    socketFolder,
    socketPath,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    get hasExited() {
      return exitInfo !== undefined;
    },
    async stop({ signal = 'SIGTERM', timeoutMs = 10_000 } = {}) {
      if (exitInfo !== undefined) return exitInfo;
      process.kill(pid, signal);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const result = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (result === 'timeout') {
        await killNow();
        throw new Error(`component pid ${pid} did not exit within ${timeoutMs} ms of ${signal} (killed); stderr: ${stderr.slice(-2000)}`);
      }
      return result;
    },
    kill: killNow,
    async cleanup() {
      await killNow();
      if (ownFolder) await rm(socketFolder, { recursive: true, force: true });
    },
  };

  if (options.waitForSocket ?? true) {
    try {
      await waitFor(
        async () => {
          // A stale socket file left by a killed predecessor refuses connections: not ready.
          return (await socketInode(socketPath)) !== undefined && (await acceptsConnections(socketPath));
        },
        options.readyTimeoutMs ?? 15_000,
        `component socket ${socketPath}`,
        () => (exitInfo !== undefined ? `process exited (code ${exitInfo.code}, signal ${exitInfo.signal}); stderr: ${stderr.slice(-2000)}` : undefined),
      );
    } catch (err) {
      await handle.cleanup();
      throw err;
    }
  }
  return handle;
}
