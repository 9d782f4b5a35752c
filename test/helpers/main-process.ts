/**
 * `node dist/src/main.js <mode>` as a child process, for tests that need a real crash (kill -9)
 * or the real exit path. Every child is killed by its pid only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitUntil } from './wait.js';

export const MAIN_JS = fileURLToPath(new URL('../../src/main.js', import.meta.url));

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface MainProcess {
  readonly pid: number;
  /** Settles once the process has exited. */
  readonly exited: Promise<ExitInfo>;
  /** What the process wrote to stderr so far. */
  stderr(): string;
  /** What the process wrote to stdout so far (pino JSON lines). */
  stdout(): string;
  /** SIGKILL by pid, then waits for the exit. */
  kill9(): Promise<ExitInfo>;
  /** SIGTERM by pid, then waits for the exit (bounded; SIGKILL after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<ExitInfo>;
}

const running = new Set<ChildProcess>();

/** Spawns main.js with `args`, this process's environment plus `env`. */
export function spawnMain(args: readonly string[], env: Record<string, string>): MainProcess {
  const child = spawn(process.execPath, [MAIN_JS, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not spawn ${MAIN_JS}`);
  const pid = child.pid;
  running.add(child);

  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout = (stdout + chunk).slice(-64_000);
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-64_000);
  });
  const exited = new Promise<ExitInfo>((resolve) => {
    // 'close' (not 'exit') so that stdout/stderr are fully read when this settles.
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });

  const signalAndWait = async (signal: NodeJS.Signals): Promise<ExitInfo> => {
    if (child.exitCode === null && child.signalCode === null) process.kill(pid, signal);
    return exited;
  };

  return {
    pid,
    exited,
    stderr: () => stderr,
    stdout: () => stdout,
    kill9: () => signalAndWait('SIGKILL'),
    stop: async (timeoutMs = 5_000) => {
      const timer = setTimeout(() => void signalAndWait('SIGKILL'), timeoutMs);
      try {
        return await signalAndWait('SIGTERM');
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Waits until the process logged a line containing `text`; fails early if it exits. */
export async function waitForLog(proc: MainProcess, text: string, timeoutMs = 10_000): Promise<void> {
  let exited: ExitInfo | undefined;
  void proc.exited.then((info) => (exited = info));
  await waitUntil(
    () => {
      if (exited) throw new Error(`process ${proc.pid} exited (${JSON.stringify(exited)}) before logging "${text}": ${proc.stderr().trim()}`);
      return proc.stdout().includes(text);
    },
    () => `process ${proc.pid} to log "${text}"; stderr: ${proc.stderr().trim()}`,
    { timeoutMs },
  );
}

/** SIGKILLs, by pid, every process spawned here that is still running (for `after` hooks). */
export async function killAllMainProcesses(): Promise<void> {
  const children = [...running];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('close', () => resolve());
          if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
        }),
    ),
  );
}
