/**
 * The real daprd (built by scripts/install-dapr.sh) as a child process in self-hosted mode:
 * its resources (Component, Subscription, Resiliency YAMLs) from a folder, its Dapr API on free
 * loopback ports, pluggable components discovered in `socketFolder`
 * (DAPR_COMPONENTS_SOCKETS_FOLDER, read once at startup). Children are stopped by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './broker-process.js';
import { daprdBinary, type DaprdRelease } from './dapr-binaries.js';
import { waitUntil } from './wait.js';

export interface DaprdOptions {
  appId: string;
  resourcesPath: string;
  socketFolder: string;
  /** The app's port (an HTTP server in the test process); none: daprd runs without an app. */
  appPort?: number;
  appProtocol?: 'http' | 'grpc';
  release?: DaprdRelease;
  /** Fixed Dapr API ports (a restarted daprd keeps its ports); default free ports. */
  httpPort?: number;
  grpcPort?: number;
  /** Wait for /v1.0/healthz (app channel included) instead of /v1.0/healthz/outbound. */
  waitForApp?: boolean;
  extraArgs?: string[];
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

export interface DaprdProcess {
  readonly pid: number;
  readonly appId: string;
  readonly httpPort: number;
  readonly grpcPort: number;
  /** http://127.0.0.1:<httpPort> */
  readonly url: string;
  /** Everything daprd logged so far (stdout and stderr). */
  logs(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM by pid, then waits (SIGKILL after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<void>;
  /** SIGKILL by pid, then waits. */
  kill(): Promise<void>;
}

const running = new Map<number, ChildProcess>();

process.once('exit', () => {
  for (const pid of running.keys()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Starts daprd and waits until its Dapr API answers healthy (components initialised). */
export async function startDaprd(options: DaprdOptions): Promise<DaprdProcess> {
  const binary = daprdBinary(options.release);
  const httpPort = options.httpPort ?? (await freePort());
  const grpcPort = options.grpcPort ?? (await freePort());
  const args = [
    '--app-id', options.appId,
    '--resources-path', options.resourcesPath,
    '--dapr-http-port', String(httpPort),
    '--dapr-grpc-port', String(grpcPort),
    '--dapr-internal-grpc-port', String(await freePort()),
    '--dapr-listen-addresses', '127.0.0.1',
    '--metrics-port', String(await freePort()),
    '--app-channel-address', '127.0.0.1',
    '--log-level', 'info',
    '--dapr-graceful-shutdown-seconds', '2',
    ...(options.appPort === undefined ? [] : ['--app-port', String(options.appPort), '--app-protocol', options.appProtocol ?? 'http']),
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(binary, args, {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      DAPR_COMPONENTS_SOCKETS_FOLDER: options.socketFolder,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not spawn ${binary}`);
  const pid = child.pid;
  running.set(pid, child);
  let output = '';
  const append = (chunk: string): void => {
    output = (output + chunk).slice(-400_000);
  };
  child.stdout?.setEncoding('utf8').on('data', append);
  child.stderr?.setEncoding('utf8').on('data', append);
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => {
      running.delete(pid);
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });

  const signalAndWait = async (signal: NodeJS.Signals, timeoutMs: number): Promise<void> => {
    if (exitInfo !== undefined) return;
    try {
      process.kill(pid, signal);
    } catch {
      // exited meanwhile
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), timeoutMs);
    });
    const outcome = await Promise.race([exited, late]);
    clearTimeout(timer);
    if (outcome === 'late') {
      process.kill(pid, 'SIGKILL');
      await exited;
    }
  };

  const handle: DaprdProcess = {
    pid,
    appId: options.appId,
    httpPort,
    grpcPort,
    url: `http://127.0.0.1:${httpPort}`,
    logs: () => output,
    exited,
    stop: (timeoutMs = 15_000) => signalAndWait('SIGTERM', timeoutMs),
    kill: () => signalAndWait('SIGKILL', 5_000),
  };

  const probe = options.waitForApp ? '/v1.0/healthz' : '/v1.0/healthz/outbound';
  try {
    await waitUntil(
      async () => {
        if (exitInfo !== undefined) throw new Error(`daprd ${options.appId} exited (code ${exitInfo.code}, signal ${exitInfo.signal}) before it was ready; its log:\n${output.slice(-6000)}`);
        try {
          const res = await fetch(`${handle.url}${probe}`, { signal: AbortSignal.timeout(1000) });
          return res.status === 204;
        } catch {
          return false;
        }
      },
      () => `daprd ${options.appId} healthy at ${handle.url}${probe}; its log:\n${output.slice(-6000)}`,
      { timeoutMs: options.readyTimeoutMs ?? 30_000, intervalMs: 100 },
    );
  } catch (err) {
    await handle.kill();
    throw err;
  }
  return handle;
}

/** Kills (SIGKILL, by pid) every daprd this helper started that still runs. */
export async function killAllDaprd(): Promise<void> {
  await Promise.all(
    [...running.entries()].map(
      ([pid, child]) =>
        new Promise<void>((resolve) => {
          child.once('close', () => resolve());
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            resolve();
          }
        }),
    ),
  );
}
