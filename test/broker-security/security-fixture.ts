/**
 * Shared by the broker security tests: temp folders, users files with real scrypt hashes, a
 * captured logger, MQTT.js connection attempts that report the CONNACK code, and child
 * processes of main.js whose whole stdout and stderr are kept (the secrets test reads all of it).
 * Everything binds 127.0.0.1; children are killed by their pid only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { createLogger, type Logger } from '../../src/logging/logger.js';
import { hashPassword } from '../../src/broker/password-hash.js';

export const MAIN_JS = fileURLToPath(new URL('../../src/main.js', import.meta.url));
export const WAIT_MS = 10_000;

/** A temp folder; `cleanup()` removes every folder made here. */
const made: string[] = [];
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `bsec-${prefix}-`));
  made.push(dir);
  return dir;
}
export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

export interface TestUser {
  username: string;
  password: string;
  publish?: string[];
  subscribe?: string[];
}

/** Writes a users file (mode 0600) with real scrypt hashes of the passwords; returns its path. */
export async function writeUsersFile(dir: string, users: TestUser[], name = 'users.json'): Promise<string> {
  const file = path.join(dir, name);
  const entries = await Promise.all(
    users.map(async (u) => ({
      username: u.username,
      password: await hashPassword(u.password),
      ...(u.publish ? { publish: u.publish } : {}),
      ...(u.subscribe ? { subscribe: u.subscribe } : {}),
    })),
  );
  await writeFile(file, JSON.stringify({ users: entries }, null, 2), { mode: 0o600 });
  return file;
}

/** A logger whose JSON lines land in `lines`. */
export function captureLogger(level = 'debug'): { logger: Logger; lines: string[]; parsed(): Array<Record<string, unknown>> } {
  const lines: string[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

export type Attempt = { ok: true; client: MqttClient } | { ok: false; code: number | string | undefined; message: string };

/** One MQTT connection attempt (no reconnect): the connected client, or the refusal (CONNACK code, or the transport error). */
/** `onMessage` is attached before CONNECT goes out: a resumed session's queued messages can arrive with the CONNACK. */
export type ConnectOptions = IClientOptions & { url?: string; onMessage?: (topic: string) => void };

export function tryConnect(options: ConnectOptions): Promise<Attempt> {
  const { url, onMessage, ...rest } = options;
  const opts: IClientOptions = { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5_000, ...rest };
  const client = url ? connect(url, opts) : connect(opts);
  if (onMessage) client.on('message', (topic: string) => onMessage(topic));
  return new Promise((resolve) => {
    const finish = (attempt: Attempt): void => {
      client.removeAllListeners('connect');
      client.removeAllListeners('error');
      client.removeAllListeners('close');
      client.on('error', () => {});
      if (!attempt.ok) client.end(true);
      resolve(attempt);
    };
    client.once('connect', () => finish({ ok: true, client }));
    client.once('error', (err: Error & { code?: number | string }) => finish({ ok: false, code: err.code, message: err.message }));
    client.once('close', () => finish({ ok: false, code: 'closed', message: 'connection closed before CONNACK' }));
  });
}

/** Connects or throws with the refusal. */
export async function mustConnect(options: ConnectOptions): Promise<MqttClient> {
  const attempt = await tryConnect(options);
  if (!attempt.ok) throw new Error(`connection refused: ${String(attempt.code)} ${attempt.message}`);
  attempt.client.on('error', () => {});
  return attempt.client;
}

/** The granted QoS of one SUBSCRIBE (128 = refused; MQTT.js rejects on 128, the SUBACK is on the error). */
export async function grantOf(client: MqttClient, filter: string, qos: 0 | 1 | 2 = 1): Promise<number | undefined> {
  try {
    return (await client.subscribeAsync(filter, { qos }))[0]?.qos;
  } catch (err) {
    const granted = (err as { packet?: { granted?: number[] } }).packet?.granted;
    if (granted) return granted[0];
    throw err;
  }
}

/** Resolves when the client's link closes (bounded). */
export function closed(client: MqttClient, timeoutMs = WAIT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!client.connected && client.disconnected) return resolve();
    const timer = setTimeout(() => reject(new Error(`link still open after ${timeoutMs} ms`)), timeoutMs);
    client.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Ends each client; one the broker already disconnected ends at once (MQTT.js would not call back). */
export async function endAll(...clients: Array<MqttClient | undefined>): Promise<void> {
  await Promise.all(
    clients.map((c) => {
      if (!c) return undefined;
      if (!c.connected) {
        c.end(true);
        return undefined;
      }
      // A link the broker closed may still read as connected for a moment; do not wait for ever.
      return Promise.race([new Promise<void>((resolve) => c.end(true, {}, () => resolve())), new Promise<void>((resolve) => setTimeout(resolve, 1_000))]);
    }),
  );
}

// --- child processes ------------------------------------------------------------------------

export interface Child {
  readonly pid: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything written so far, never truncated. */
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then SIGKILL after `timeoutMs`; waits for the exit. */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
});

/** `node dist/src/main.js <args>` with only `env` (plus PATH and HOME) in its environment. */
export function spawnMain(args: readonly string[], env: Record<string, string>, input?: string): Child {
  const child = spawn(process.execPath, [MAIN_JS, ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('could not spawn main.js');
  const pid = child.pid;
  children.add(child);
  if (input !== undefined) child.stdin?.end(input);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    pid,
    exited,
    stdout: () => out,
    stderr: () => err,
    async stop(timeoutMs = 5_000) {
      if (alive()) process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => alive() && process.kill(pid, 'SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Resolves when `predicate` holds for the child's output, rejects if it exits first or after `timeoutMs`. */
export async function waitForOutput(child: Child, predicate: (stdout: string, stderr: string) => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  let exitedWith: unknown;
  void child.exited.then((info) => (exitedWith = info));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (predicate(child.stdout(), child.stderr())) return;
    if (exitedWith !== undefined) throw new Error(`${what}: process exited ${JSON.stringify(exitedWith)}; stderr: ${child.stderr().slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`${what}: timed out after ${timeoutMs} ms; stderr: ${child.stderr().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The ports of the bundled broker's "broker listening" log line. */
export function listeningPorts(stdout: string): { mqtt: number; mqtts?: number; ws?: number; wss?: number } | undefined {
  for (const line of stdout.split('\n')) {
    if (!line.includes('"broker listening"')) continue;
    return (JSON.parse(line) as { ports: { mqtt: number } }).ports;
  }
  return undefined;
}

/** Resolves with `promise`, or rejects naming `what` after `ms`. */
export async function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

// --- raw MQTT 3.1.1 bytes, for what MQTT.js will not send (pipelined floods, lying headers) ---

export function remainingLength(n: number): Buffer {
  const bytes: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    bytes.push(b);
  } while (n > 0);
  return Buffer.from(bytes);
}

const mqttString = (s: string): Buffer => {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
};

export function connectBytes(clientId: string, credentials?: { username: string; password: string }): Buffer {
  const flags = 0x02 | (credentials ? 0xc0 : 0);
  const body = Buffer.concat([
    mqttString('MQTT'),
    Buffer.from([4, flags, 0, 60]),
    mqttString(clientId),
    ...(credentials ? [mqttString(credentials.username), mqttString(credentials.password)] : []),
  ]);
  return Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body]);
}

export function publishBytes(topic: string, payload: Buffer | string, qos: 0 | 1 | 2, messageId = 1): Buffer {
  const body = Buffer.concat([mqttString(topic), qos > 0 ? Buffer.from([messageId >> 8, messageId & 0xff]) : Buffer.alloc(0), Buffer.from(payload)]);
  return Buffer.concat([Buffer.from([0x30 | (qos << 1)]), remainingLength(body.length), body]);
}

export interface RawClient {
  /** Packet types received so far (2 CONNACK, 4 PUBACK, 5 PUBREC, ...), with the CONNACK return code. */
  readonly received: Array<{ type: number; returnCode?: number }>;
  readonly closed: Promise<void>;
  isClosed(): boolean;
  write(bytes: Buffer): void;
  destroy(): void;
}

/** A bare TCP connection that records the packet types the broker sends back. */
export async function rawConnect(port: number, host = '127.0.0.1'): Promise<RawClient> {
  const { connect: netConnect } = await import('node:net');
  const socket = netConnect({ port, host });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.on('error', () => {});
  const received: RawClient['received'] = [];
  let buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (buffer.length < 2) return;
      let length = 0;
      let multiplier = 1;
      let i = 1;
      for (;;) {
        if (i >= buffer.length) return;
        const b = buffer[i++]!;
        length += (b & 0x7f) * multiplier;
        multiplier *= 128;
        if ((b & 0x80) === 0) break;
      }
      if (buffer.length < i + length) return;
      const type = buffer[0]! >> 4;
      received.push(type === 2 ? { type, returnCode: buffer[i + 1]! } : { type });
      buffer = buffer.subarray(i + length);
    }
  });
  let isClosed = false;
  const closed = new Promise<void>((resolve) => socket.once('close', () => ((isClosed = true), resolve())));
  return { received, closed, isClosed: () => isClosed, write: (b) => socket.write(b), destroy: () => socket.destroy() };
}
