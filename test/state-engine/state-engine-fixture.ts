/**
 * Test fixture of the state engine: requests as encoded StateRequest bytes (protobufjs over
 * proto/mqttpluggable/state/v1/state_protocol.proto, independently of the engine's codec),
 * replies decoded in full, engines over real LevelDB in temp folders.
 */
import { loadProtoRoot } from '../../src/proto/proto-files.js';
import { mkdtemp, rm } from 'node:fs/promises';
import type { TestContext } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StateRequest } from '../../src/generated/mqttpluggable/state/v1/StateRequest.js';
import type { StateReply__Output } from '../../src/generated/mqttpluggable/state/v1/StateReply.js';
import { createSilentLogger, type Logger } from '../../src/logging/logger.js';
import { openStateEngine, type StateEngine, type StateEngineOptions } from '../../src/broker/state/open-state-engine.js';

const root = loadProtoRoot(['mqttpluggable/state/v1/state_protocol.proto']);
const RequestType = root.lookupType('mqttpluggable.state.v1.StateRequest');
const ReplyType = root.lookupType('mqttpluggable.state.v1.StateReply');

export function encodeRequest(request: StateRequest): Buffer {
  return Buffer.from(RequestType.encode(RequestType.fromObject(request as Record<string, unknown>)).finish());
}

export function decodeReply(bytes: Uint8Array): StateReply__Output {
  return ReplyType.toObject(ReplyType.decode(bytes), { longs: String, enums: String, oneofs: true }) as StateReply__Output;
}

/** A temp folder removed by `cleanup`. */
export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export type Operation = Omit<StateRequest, 'requestId' | 'replyTopic' | 'keyspace' | 'deadlineUnixMs' | 'operation'>;

export interface SendOptions {
  requestId?: string;
  keyspace?: string;
  deadlineUnixMs?: number;
}

let sequence = 0;

/** A state client as the engine sees it: a client id, a keyspace, request ids of its own. */
export class TestClient {
  constructor(
    readonly engine: StateEngine,
    readonly clientId = 'client-1',
    readonly keyspace = 'ks-1',
  ) {}

  replyTopic(): string {
    return `$dapr-state/v1/reply/${this.clientId}`;
  }

  /** Sends the operation; resolves with the raw reply bytes and the decoded reply. */
  async sendRaw(operation: Operation, options: SendOptions = {}): Promise<{ bytes: Buffer; reply: StateReply__Output; requestId: string }> {
    const requestId = options.requestId ?? `req-${++sequence}`;
    const handled = await this.engine.handle(
      this.clientId,
      encodeRequest({
        requestId,
        replyTopic: this.replyTopic(),
        keyspace: options.keyspace ?? this.keyspace,
        deadlineUnixMs: options.deadlineUnixMs ?? 0,
        ...operation,
      }),
    );
    if (!handled) throw new Error('the engine gave no reply');
    if (handled.replyTopic !== this.replyTopic()) throw new Error(`reply topic ${handled.replyTopic}`);
    const reply = decodeReply(handled.reply);
    if ((reply.requestId ?? '') !== requestId) throw new Error(`reply for ${reply.requestId}, not ${requestId}`);
    return { bytes: handled.reply, reply, requestId };
  }

  async send(operation: Operation, options: SendOptions = {}): Promise<StateReply__Output> {
    return (await this.sendRaw(operation, options)).reply;
  }

  set(key: string, value: string, extra: Omit<NonNullable<Operation['set']>, 'key' | 'value'> = {}, options: SendOptions = {}): Promise<StateReply__Output> {
    return this.send({ set: { key, value: Buffer.from(value), options: { concurrency: 'CONCURRENCY_LAST_WRITE' }, ...extra } }, options);
  }

  get(key: string, options: SendOptions = {}): Promise<StateReply__Output> {
    return this.send({ get: { key } }, options);
  }

  delete(key: string, extra: Omit<NonNullable<Operation['delete']>, 'key'> = {}, options: SendOptions = {}): Promise<StateReply__Output> {
    return this.send({ delete: { key, ...extra } }, options);
  }

  /** The etag of a key, failing if it is missing. */
  async etagOf(key: string): Promise<string> {
    const reply = await this.get(key);
    const etag = reply.get?.etag?.value;
    if (!etag) throw new Error(`no etag for ${key}: ${JSON.stringify(reply)}`);
    return etag;
  }
}

/** Asserts-free view of a reply's error, for deepEqual. */
export function errorOf(reply: StateReply__Output): { kind?: string; field?: string; key?: string } | undefined {
  if (reply.result !== 'error' || !reply.error) return undefined;
  const { kind, field, key } = reply.error;
  return { kind, field: field ?? '', key: key ?? '' };
}

export async function openTestEngine(dataDir: string, options: Partial<StateEngineOptions> = {}): Promise<StateEngine> {
  return openStateEngine({ dataDir, logger: createSilentLogger(), ...options });
}

/**
 * A temp data folder for the test `t`, and `open` to open engines on it; when the test ends,
 * every engine opened is closed (close is idempotent), then the folder is removed.
 */
export async function engineFolder(t: TestContext, prefix: string): Promise<{ dir: string; open: (options?: Partial<StateEngineOptions>) => Promise<StateEngine> }> {
  const { dir, cleanup } = await tempDir(prefix);
  const engines: StateEngine[] = [];
  t.after(async () => {
    await Promise.all(engines.map((e) => e.close()));
    await cleanup();
  });
  return {
    dir,
    async open(options = {}) {
      const engine = await openTestEngine(dir, options);
      engines.push(engine);
      return engine;
    },
  };
}

/**
 * A logger whose lines (parsed) land in `lines`; `waitFor` resolves once the lines so far
 * satisfy `condition` (checked at each new line), or rejects after `timeoutMs`.
 */
export async function capturingLogger(level = 'debug'): Promise<{
  logger: Logger;
  lines: Record<string, unknown>[];
  waitFor: (condition: (lines: Record<string, unknown>[]) => boolean, what: string, timeoutMs?: number) => Promise<void>;
}> {
  const { pino } = await import('pino');
  const lines: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  const logger = pino({ level }, {
    write: (line: string) => {
      lines.push(JSON.parse(line) as Record<string, unknown>);
      for (const check of [...waiters]) check();
    },
  });
  const waitFor = (condition: (l: Record<string, unknown>[]) => boolean, what: string, timeoutMs = 10_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const check = (): void => {
        if (!condition(lines)) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      waiters.add(check);
      check();
    });
  return { logger, lines, waitFor };
}

/** A settable clock starting at a fixed time. */
export function manualClock(start = Date.UTC(2030, 0, 1)): { now: () => number; advance: (ms: number) => void; set: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms), set: (ms) => void (t = ms) };
}
