/**
 * A server process the tests start (nats-server, rabbitmq-server), in its own process group so
 * that its children go with it: started, waited for until its ports accept connections, and
 * stopped by its pid (SIGTERM to the group, SIGKILL after a bound), or killed at once by SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import net from 'node:net';

export interface SpawnedServer {
  readonly pid: number;
  /** Everything it wrote to stdout and stderr. */
  readonly log: string;
  readonly exited: boolean;
  /** SIGKILL to the whole group, now; resolves when the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM to the group, SIGKILL after `graceMs` (default 10 s); idempotent. */
  close(graceMs?: number): Promise<void>;
}

/** The path if `bin` is an executable file, else a one-line error naming it (tests fail, never skip). */
export function requireBinary(bin: string, install: string): string {
  try {
    accessSync(bin, constants.X_OK);
    return bin;
  } catch {
    throw new Error(`${bin} is missing: ${install}`);
  }
}

export function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface SpawnOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Ports that must accept TCP connections before the server counts as started. */
  readonly ports: readonly number[];
  readonly readyTimeoutMs: number;
  /** Name for error messages. */
  readonly name: string;
}

export async function spawnServer(bin: string, args: readonly string[], options: SpawnOptions): Promise<SpawnedServer> {
  const child: ChildProcess = spawn(bin, args, { env: options.env ?? process.env, cwd: options.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not spawn ${bin}`);
  const pid = child.pid;
  let log = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (log = (log + s).slice(-200_000)));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (log = (log + s).slice(-200_000)));
  let exited = false;
  const gone = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig);
    } catch {
      // already gone
    }
  };
  const onParentExit = (): void => signal('SIGKILL');
  process.once('exit', onParentExit);
  let closing: Promise<void> | undefined;
  const server: SpawnedServer = {
    pid,
    get log() {
      return log;
    },
    get exited() {
      return exited;
    },
    async kill() {
      signal('SIGKILL');
      await gone;
    },
    close(graceMs = 10_000) {
      closing ??= (async () => {
        if (!exited) {
          signal('SIGTERM');
          const timer = setTimeout(() => signal('SIGKILL'), graceMs);
          await gone;
          clearTimeout(timer);
        }
        // Children that outlived the leader (an Erlang VM's helpers) go too.
        signal('SIGKILL');
        process.off('exit', onParentExit);
      })();
      return closing;
    },
  };
  const deadline = Date.now() + options.readyTimeoutMs;
  for (;;) {
    if (exited) {
      await server.close();
      throw new Error(`${options.name} exited during start-up: ${log.trim().slice(-2000)}`);
    }
    if ((await Promise.all(options.ports.map((p) => canConnect(p)))).every(Boolean)) return server;
    if (Date.now() > deadline) {
      await server.close();
      throw new Error(`${options.name} did not listen on ${options.ports.join(', ')} within ${options.readyTimeoutMs} ms: ${log.trim().slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
