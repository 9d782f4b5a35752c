/**
 * A private Mosquitto 2.x (never the machine's shared one on 1883) on free loopback ports,
 * with our own config: a plain listener, optionally a TLS listener with the test PKI, and any
 * extra global lines (e.g. `max_packet_size 1048576`). Stopped by pid (SIGTERM, then SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { chmod, copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface MosquittoTlsOptions {
  caPath: string;
  certPath: string;
  keyPath: string;
  /** Mutual TLS: clients must present a certificate signed by `caPath`. Default false. */
  requireCertificate?: boolean;
}

export interface MosquittoOptions {
  /** Open a plain MQTT listener; default true. */
  plain?: boolean;
  tls?: MosquittoTlsOptions;
  /** Extra global config lines. */
  extraConfig?: string[];
  /** Wait for the listeners this long; default 10 s. */
  readyTimeoutMs?: number;
}

export interface MosquittoProcess {
  readonly pid: number;
  /** Plain listener port (when `plain`). */
  readonly port: number | undefined;
  readonly tlsPort: number | undefined;
  /** Everything mosquitto logged (log_dest stderr). */
  readonly log: string;
  close(): Promise<void>;
}

/** The mosquitto binary, or undefined when it is not installed. */
export function findMosquitto(): string | undefined {
  const candidates = [
    process.env.MOSQUITTO_BIN,
    '/usr/sbin/mosquitto',
    '/usr/local/sbin/mosquitto',
    ...(process.env.PATH ?? '').split(':').filter(Boolean).map((d) => path.join(d, 'mosquitto')),
  ];
  for (const c of candidates) {
    if (c === undefined || c === '') continue;
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  return undefined;
}

/** A port that was free a moment ago (bind 0, read, release). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('freePort: no TCP address');
  return address.port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function startOnce(bin: string, options: MosquittoOptions): Promise<MosquittoProcess> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mosquitto-'));
  // Run as root, mosquitto drops to the "mosquitto"/"nobody" user before reading certificates:
  // everything it reads must be world-readable (test keys only).
  await chmod(dir, 0o755);
  const lines = ['per_listener_settings false', 'allow_anonymous true', 'persistence false', 'log_dest stderr', 'log_type error', 'log_type warning', 'log_type notice', 'log_type information'];
  const plain = options.plain ?? true;
  const port = plain ? await freePort() : undefined;
  let tlsPort: number | undefined;
  if (port !== undefined) lines.push(`listener ${port} 127.0.0.1`);
  if (options.tls !== undefined) {
    tlsPort = await freePort();
    const files = { cafile: options.tls.caPath, certfile: options.tls.certPath, keyfile: options.tls.keyPath };
    lines.push(`listener ${tlsPort} 127.0.0.1`);
    for (const [directive, source] of Object.entries(files)) {
      const target = path.join(dir, `${directive}.pem`);
      await copyFile(source, target);
      await chmod(target, 0o644);
      lines.push(`${directive} ${target}`);
    }
    lines.push(`require_certificate ${options.tls.requireCertificate === true ? 'true' : 'false'}`);
  }
  lines.push(...(options.extraConfig ?? []));
  const confPath = path.join(dir, 'mosquitto.conf');
  await writeFile(confPath, `${lines.join('\n')}\n`);
  await chmod(confPath, 0o644);

  const child: ChildProcess = spawn(bin, ['-c', confPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not spawn ${bin}`);
  const pid = child.pid;
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (log += s));
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  const onParentExit = (): void => {
    if (!exited) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  };
  process.once('exit', onParentExit);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      if (!exited) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // gone
        }
        const timer = setTimeout(() => {
          if (!exited) {
            try {
              process.kill(pid, 'SIGKILL');
            } catch {
              // gone
            }
          }
        }, 5000);
        await exitedPromise;
        clearTimeout(timer);
      }
      process.off('exit', onParentExit);
      await rm(dir, { recursive: true, force: true });
    })();
    return closing;
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 10_000);
  const ports = [port, tlsPort].filter((p): p is number => p !== undefined);
  for (;;) {
    if (exited) {
      await close();
      throw new Error(`mosquitto exited during start-up: ${log.trim()}`);
    }
    const ready = await Promise.all(ports.map(canConnect));
    if (ready.every(Boolean)) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error(`mosquitto did not listen on ${ports.join(', ')} in time: ${log.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    pid,
    port,
    tlsPort,
    get log() {
      return log;
    },
    close,
  };
}

/**
 * Starts a private mosquitto. Ports are picked free just before start; if one is taken in the
 * meantime mosquitto exits, and we try again with new ports (3 attempts).
 */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<MosquittoProcess> {
  const bin = findMosquitto();
  if (bin === undefined) throw new Error('mosquitto is not installed (apt-get install -y mosquitto; .ci/run does it)');
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(bin, options);
    } catch (err) {
      lastError = err;
      if (!/Address already in use/i.test(String((err as Error).message))) break;
    }
  }
  throw lastError;
}
