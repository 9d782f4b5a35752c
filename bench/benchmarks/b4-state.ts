/**
 * B4: state Set and Get of 256 B values through the component (h2load, -c1 -m64) to the bundled
 * broker's state service. Baseline: the no-op component under the same generator. References,
 * measured in the same run with 64 operations in flight: Redis on this machine through the
 * `redis` Node client, and LevelDB in-process (classic-level), both from the bench process.
 * Success is checked apart from h2load (which sees HTTP 200 for a failed gRPC call): every
 * response must carry its gRPC message (DATA bytes), and the value must read back.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { createClient } from 'redis';
import { connectAsync } from 'mqtt';
import { openStateEngine } from '../../src/broker/state/open-state-engine.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { decodeStateReply, encodeStateRequest, type StateOp } from '../../src/mqtt/state-envelope.js';
import { stateReplyTopic, stateRequestTopic } from '../../src/mqtt/state-topics.js';
import { INSTANCES } from '../lib/deploy.js';
import { runH2load, writeBody, type H2loadResult } from '../lib/h2load.js';
import { compare, type Series, type Side } from '../lib/measure.js';
import { STATE_SERVICE, encodeMessage, getFrame, setFrame } from '../lib/protos.js';
import { row, type BenchContext, type Row } from '../lib/context.js';

const VALUE_BYTES = 256;
const SIZING = { warmup: 2_000, min: 1_000, max: 200_000, smoke: 200 };
const SET = `${STATE_SERVICE}/Set`;
const GET = `${STATE_SERVICE}/Get`;
/** A Set response: an empty SetResponse in a 5-byte frame. */
const SET_RESPONSE_BYTES = 5;
const IN_FLIGHT = 64;

export interface B4Result {
  readonly rows: Row[];
  readonly raw: Record<string, Record<string, Series>>;
  readonly skippedReferences: string[];
}

async function closedLoop(n: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) {
        const i = next++;
        await op(i).catch(() => (failures += 1));
      }
    }),
  );
  return failures;
}

function sample(n: number, ms: number, extra: Record<string, number | boolean>): { value: number; n: number; ms: number; extra: Record<string, number | boolean> } {
  const failures = typeof extra.failures === 'number' ? extra.failures : 0;
  return { value: (n - failures) / (ms / 1000), n, ms, extra };
}

function h2Sample(n: number, h: H2loadResult, perResponse: number, extra: Record<string, number | boolean> = {}): ReturnType<typeof sample> {
  const ok = Math.min(n, Math.floor(h.dataBytes / perResponse));
  return sample(n, h.wallMs, { failures: n - ok, h2loadReqPerSec: h.reqPerSec, ...extra });
}

/** Set through a component socket; ours also reads the value back. */
function setVia(ctx: BenchContext, socketPath: string, readBack: boolean): Side {
  return async (n) => {
    const key = `bench||set-${randomBytes(4).toString('hex')}`;
    const value = randomBytes(VALUE_BYTES);
    const bodyFile = await writeBody(ctx.tmp, `b4-set-${randomBytes(4).toString('hex')}.bin`, setFrame(key, value));
    const h = await runH2load({ h2load: ctx.h2load as string, socketPath, method: SET, bodyFile, instance: INSTANCES.state, requests: n, streams: IN_FLIGHT });
    if (!readBack) return h2Sample(n, h, SET_RESPONSE_BYTES);
    const got = await ctx.deploy.state.get(key);
    return h2Sample(n, h, SET_RESPONSE_BYTES, { readBack: got.data?.equals(value) === true });
  };
}

/** Get of one existing key through a component socket; the size of one good response is learnt first. */
function getVia(ctx: BenchContext, socketPath: string, prepare: boolean): Side {
  return async (n) => {
    const key = `bench||get-${randomBytes(4).toString('hex')}`;
    if (prepare) await ctx.deploy.state.set(key, randomBytes(VALUE_BYTES));
    const bodyFile = await writeBody(ctx.tmp, `b4-get-${randomBytes(4).toString('hex')}.bin`, getFrame(key));
    const run = (requests: number, streams: number): Promise<H2loadResult> =>
      runH2load({ h2load: ctx.h2load as string, socketPath, method: GET, bodyFile, instance: INSTANCES.state, requests, streams });
    const one = await run(1, 1);
    if (one.dataBytes < 5 + VALUE_BYTES) throw new Error(`bench: B4 Get on ${socketPath} did not return the value (${one.dataBytes} bytes)`);
    const h = await run(n, IN_FLIGHT);
    return h2Sample(n, h, one.dataBytes);
  };
}

/** The Dapr request bodies the component puts into the envelope (what daprd sent, without the gRPC frame). */
function daprBodies(key: string, value: Buffer): Record<'set' | 'get', Buffer> {
  return {
    set: encodeMessage('SetRequest', { key, value, metadata: {}, options: { concurrency: 0, consistency: 0 } }),
    get: encodeMessage('GetRequest', { key, metadata: {}, consistency: 0 }),
  };
}

/**
 * Diagnostic layers of the same operation: the state engine in the bench process (no MQTT), and
 * the state service through the bundled broker spoken to directly over MQTT (no component, no
 * gRPC; persistent session and QoS 1 as the component's state connection).
 */
async function openLayers(ctx: BenchContext, key: string, value: Buffer) {
  const bodies = daprBodies(key, value);
  const engine = await openStateEngine({ dataDir: join(ctx.tmp, `b4-engine-${randomBytes(3).toString('hex')}`), logger: createSilentLogger() });
  let seq = 0;
  const header = (replyTopic: string) => ({ requestId: `bench-${randomBytes(4).toString('hex')}-${seq++}`, replyTopic, keyspace: 'bench', deadlineUnixMs: 0 });
  const viaEngine = (op: 'set' | 'get') => async () => {
    const handled = await engine.handle('bench-engine', encodeStateRequest(header('r'), op, bodies[op]));
    if (!handled || decodeStateReply(handled.reply).error) throw new Error('engine refused');
  };

  const clientId = `bench-direct-${randomBytes(4).toString('hex')}`;
  const mqtt = await connectAsync(ctx.deploy.brokerUrl, { clientId, clean: false, reconnectPeriod: 0 });
  const replyTopic = stateReplyTopic('default', clientId);
  const requestTopic = stateRequestTopic('default', clientId);
  const waiting = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  mqtt.on('message', (_t: string, payload: Buffer) => {
    const reply = decodeStateReply(payload);
    const w = waiting.get(reply.requestId);
    waiting.delete(reply.requestId);
    if (reply.error) w?.reject(new Error(reply.error.message));
    else w?.resolve();
  });
  // As the component's MQTT connections (src/mqtt/mqttjs-link.ts): no Nagle.
  (mqtt.stream as { setNoDelay?: (on: boolean) => unknown }).setNoDelay?.(true);
  await mqtt.subscribeAsync(replyTopic, { qos: 1 });
  const viaMqtt = (op: StateOp & ('set' | 'get')) => () =>
    new Promise<void>((resolve, reject) => {
      const h = header(replyTopic);
      waiting.set(h.requestId, { resolve, reject });
      mqtt.publish(requestTopic, encodeStateRequest(h, op, bodies[op]), { qos: 1 }, (err) => err && reject(err));
    });
  await viaMqtt('set')();
  await viaEngine('set')();
  return {
    viaEngine,
    viaMqtt,
    async close() {
      await mqtt.endAsync();
      // Drop the persistent session on the broker.
      const cleaner = await connectAsync(ctx.deploy.brokerUrl, { clientId, clean: true, reconnectPeriod: 0 });
      await cleaner.endAsync();
      await engine.close();
    },
  };
}

export async function runB4(ctx: BenchContext): Promise<B4Result> {
  const { deploy, settings } = ctx;
  const skippedReferences: string[] = [];
  const value = randomBytes(VALUE_BYTES);

  const redis = createClient({ url: ctx.redisUrl, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
  redis.on('error', () => undefined);
  let redisUp = false;
  try {
    await redis.connect();
    redisUp = true;
  } catch (err) {
    skippedReferences.push(`Redis at ${ctx.redisUrl}: ${(err as Error).message}`);
  }
  const prefix = `mqtt-bench:${randomBytes(4).toString('hex')}:`;
  const level = new ClassicLevel<string, Buffer>(join(ctx.tmp, 'b4-level'), { valueEncoding: 'buffer' });
  await level.open();
  await level.put('k', value);
  if (redisUp) await redis.set(`${prefix}k`, value);

  const layers = await openLayers(ctx, 'bench||layers', value);
  const timed = (op: (i: number) => Promise<unknown>): Side => async (n) => {
    const started = performance.now();
    const failures = await closedLoop(n, IN_FLIGHT, op);
    return sample(n, performance.now() - started, { failures });
  };
  try {
    const setSides: Record<string, Side> = {
      ours: setVia(ctx, deploy.socketPath, true),
      noop: setVia(ctx, deploy.noopSocketPath, false),
      leveldb: timed((i) => level.put(`s${i % 1000}`, value)),
      engine: timed(layers.viaEngine('set')),
      mqtt: timed(layers.viaMqtt('set')),
    };
    if (redisUp) setSides.redis = timed(() => redis.set(`${prefix}s`, value));
    const sets = await compare('B4 Set 256 B', setSides, SIZING, settings);

    const getSides: Record<string, Side> = {
      ours: getVia(ctx, deploy.socketPath, true),
      noop: getVia(ctx, deploy.noopSocketPath, false),
      leveldb: timed(() => level.get('k')),
      engine: timed(layers.viaEngine('get')),
      mqtt: timed(layers.viaMqtt('get')),
    };
    if (redisUp) getSides.redis = timed(() => redis.get(`${prefix}k`));
    const gets = await compare('B4 Get 256 B', getSides, SIZING, settings);

    const refs = (r: Record<string, Series>) => [
      { name: 'diagnostic: the state engine alone, in-process (no MQTT, no gRPC), 64 in flight', value: r.engine!.median },
      { name: 'diagnostic: the state service through the bundled broker, plain MQTT client (no component, no gRPC), 64 in flight', value: r.mqtt!.median },
      ...(r.redis ? [{ name: 'Redis (node redis client, 64 in flight)', value: r.redis.median }] : []),
      { name: 'LevelDB in-process (classic-level, 64 in flight)', value: r.leveldb!.median },
    ];
    const rows = [
      row({
        id: 'B4 Set',
        what: 'State Set, 256 B value, h2load -c1 -m64, to the bundled broker state service',
        unit: 'ops/s',
        ours: sets.ours!.median,
        baselineName: 'no-op component',
        baseline: sets.noop!.median,
        target: { op: '>=', value: 0.5 },
        references: refs(sets),
      }),
      row({
        id: 'B4 Get',
        what: 'State Get, 256 B value, h2load -c1 -m64, from the bundled broker state service',
        unit: 'ops/s',
        ours: gets.ours!.median,
        baselineName: 'no-op component',
        baseline: gets.noop!.median,
        target: { op: '>=', value: 0.5 },
        references: refs(gets),
      }),
    ];
    return { rows, raw: { set: sets, get: gets }, skippedReferences };
  } finally {
    if (redisUp) {
      await redis.del([`${prefix}k`, `${prefix}s`]).catch(() => undefined);
      await redis.quit().catch(() => undefined);
    }
    await level.close();
    await layers.close();
  }
}
