/**
 * Hostile gRPC input for every RPC of the component: random bytes, mutated valid requests
 * (flipped, truncated, extended, with unknown fields and out-of-range enum values), huge maps,
 * keys and values, and PullMessages streams that send garbage, unknown ids and double acks.
 * Deterministic for a seed (xorshift32), so a failing case can be replayed.
 */
import { loadProtoRoot } from '../../src/proto/proto-files.js';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';

const root = loadProtoRoot(['dapr/proto/components/v1/pubsub.proto', 'dapr/proto/components/v1/state.proto']);

export class Rng {
  constructor(private state: number) {
    if (this.state === 0) this.state = 0x9e3779b9;
  }
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
  int(n: number): number {
    return this.next() % n;
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i += 1) b[i] = this.int(256);
    return b;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

export interface FuzzTarget {
  readonly service: string;
  readonly method: string;
  /** The request message type, for building valid seeds. */
  readonly type: string;
  /** Valid requests to mutate. */
  readonly seeds: ReadonlyArray<Record<string, unknown>>;
}

function encode(type: string, fields: Record<string, unknown>): Buffer {
  const t = root.lookupType(`dapr.proto.components.v1.${type}`);
  return Buffer.from(t.encode(t.fromObject(fields)).finish());
}

const set = (key: string, value = '"v"', extra: Record<string, unknown> = {}): Record<string, unknown> => ({ key, value: Buffer.from(value), options: { concurrency: 1 }, ...extra });

/** Every unary RPC with a few valid requests each (PullMessages is fuzzed as a stream); Inits point at `brokerUrl`. */
export function fuzzTargets(brokerUrl: string): readonly FuzzTarget[] {
  return [
  { service: 'PubSub', method: 'Init', type: 'PubSubInitRequest', seeds: [{ metadata: { properties: { url: brokerUrl, consumerID: 'c' } } }] },
  { service: 'PubSub', method: 'Features', type: 'FeaturesRequest', seeds: [{}] },
  { service: 'PubSub', method: 'Publish', type: 'PublishRequest', seeds: [{ topic: 'fuzz/t', data: Buffer.from('x'), metadata: { qos: '1' } }, { topic: 'fuzz/u', data: Buffer.from('y') }] },
  {
    service: 'PubSub',
    method: 'BulkPublish',
    type: 'BulkPublishRequest',
    seeds: [{ topic: 'fuzz/b', entries: [{ entryId: '1', event: Buffer.from('a') }, { entryId: '2', event: Buffer.from('b'), metadata: { qos: '0' } }] }],
  },
  { service: 'PubSub', method: 'Ping', type: 'PingRequest', seeds: [{}] },
  { service: 'PubSub', method: 'Pause', type: 'PauseRequest', seeds: [{}] },
  { service: 'PubSub', method: 'Resume', type: 'ResumeRequest', seeds: [{}] },
  { service: 'StateStore', method: 'Init', type: 'InitRequest', seeds: [{ metadata: { properties: { url: brokerUrl } } }] },
  { service: 'StateStore', method: 'Get', type: 'GetRequest', seeds: [{ key: 'a||k' }] },
  { service: 'StateStore', method: 'Set', type: 'SetRequest', seeds: [set('a||k'), set('a||t', '"t"', { metadata: { ttlInSeconds: '100' }, etag: { value: '1' } })] },
  { service: 'StateStore', method: 'Delete', type: 'DeleteRequest', seeds: [{ key: 'a||k', etag: { value: '3' } }] },
  { service: 'StateStore', method: 'BulkGet', type: 'BulkGetRequest', seeds: [{ items: [{ key: 'a||k' }, { key: 'a||j' }] }] },
  { service: 'StateStore', method: 'BulkSet', type: 'BulkSetRequest', seeds: [{ items: [set('a||k'), set('a||j')] }] },
  { service: 'StateStore', method: 'BulkDelete', type: 'BulkDeleteRequest', seeds: [{ items: [{ key: 'a||k' }] }] },
  { service: 'StateStore', method: 'Features', type: 'FeaturesRequest', seeds: [{}] },
  { service: 'StateStore', method: 'Ping', type: 'PingRequest', seeds: [{}] },
  { service: 'TransactionalStateStore', method: 'Transact', type: 'TransactionalStateRequest', seeds: [{ operations: [{ set: set('a||x') }, { delete: { key: 'a||y' } }] }] },
  {
    service: 'QueriableStateStore',
    method: 'Query',
    type: 'QueryRequest',
    seeds: [{ query: { filter: { EQ: { typeUrl: '', value: Buffer.from('{"a":1}') } }, sort: [{ key: 'a', order: 1 }], pagination: { limit: 2 } } }],
  },
  { service: 'TransactionalStoreMultiMaxSize', method: 'MultiMaxSize', type: 'MultiMaxSizeRequest', seeds: [{}] },
  ];
}

/** One hostile request body for `target`. */
export function hostileRequest(rng: Rng, target: FuzzTarget): { kind: string; bytes: Buffer } {
  const seed = encode(target.type, rng.pick(target.seeds));
  switch (rng.int(9)) {
    case 0:
      return { kind: 'random', bytes: rng.bytes(rng.int(512)) };
    case 1: {
      const b = Buffer.from(seed);
      for (let i = 0; i < 1 + rng.int(4) && b.length > 0; i += 1) b[rng.int(b.length)] = rng.int(256);
      return { kind: 'flipped', bytes: b };
    }
    case 2:
      return { kind: 'truncated', bytes: seed.subarray(0, rng.int(seed.length + 1)) };
    case 3:
      return { kind: 'extended', bytes: Buffer.concat([seed, rng.bytes(1 + rng.int(64))]) };
    case 4: {
      // An unknown field (number 1000+) of each wire type: must be skipped.
      const w = protobuf.Writer.create();
      w.uint32(((1000 + rng.int(1000)) << 3) | 2).bytes(rng.bytes(rng.int(32)));
      w.uint32(((2000 + rng.int(1000)) << 3) | 0).uint64(rng.next());
      return { kind: 'unknown-fields', bytes: Buffer.concat([seed, Buffer.from(w.finish())]) };
    }
    case 5: {
      // Out-of-range enum values: StateOptions.concurrency / consistency, Sorting.order.
      const fields = structuredClone(rng.pick(target.seeds)) as Record<string, unknown>;
      const big = 1 + rng.int(2_000_000);
      if ('options' in fields) fields.options = { concurrency: big, consistency: big };
      if ('query' in fields) fields.query = { sort: [{ key: 'a', order: big }] };
      return { kind: 'enum', bytes: encode(target.type, fields) };
    }
    case 6: {
      const metadata: Record<string, string> = {};
      for (let i = 0; i < 20_000; i += 1) metadata[`k${i}`] = 'v'.repeat(8);
      const fields = { ...rng.pick(target.seeds), metadata };
      if (target.type === 'PubSubInitRequest' || target.type === 'InitRequest') return { kind: 'huge-init-map', bytes: encode(target.type, { metadata: { properties: metadata } }) };
      return { kind: 'huge-map', bytes: encode(target.type, fields) };
    }
    case 7: {
      const fields = { ...rng.pick(target.seeds) };
      if ('key' in fields) fields.key = `a||${'k'.repeat(256 * 1024)}`;
      if ('topic' in fields) fields.topic = `t/${'x'.repeat(70_000)}`;
      if ('data' in fields) fields.data = rng.bytes(2 * 1024 * 1024);
      if ('value' in fields) fields.value = rng.bytes(2 * 1024 * 1024);
      return { kind: 'huge-fields', bytes: encode(target.type, fields) };
    }
    default:
      return { kind: 'valid', bytes: seed };
  }
}

export interface CallOutcome {
  readonly code: number;
  readonly details: string;
}

/** Sends `bytes` unencoded as the request of a unary RPC. */
export function rawUnary(client: grpc.Client, instance: string, service: string, method: string, bytes: Buffer, timeoutMs = 20_000): Promise<CallOutcome> {
  const md = new grpc.Metadata();
  md.set('x-component-instance', instance);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      `/dapr.proto.components.v1.${service}/${method}`,
      (b: Buffer) => b,
      (b: Buffer) => b,
      bytes,
      md,
      { deadline: Date.now() + timeoutMs },
      (err) => resolve(err ? { code: err.code, details: err.details } : { code: grpc.status.OK, details: '' }),
    );
  });
}

/** A PullMessages stream written with raw frames: a topic request, then whatever `frames` holds. */
export function rawPullStream(client: grpc.Client, instance: string, frames: readonly Buffer[], lingerMs: number): Promise<CallOutcome & { received: number }> {
  const md = new grpc.Metadata();
  md.set('x-component-instance', instance);
  return new Promise((resolve) => {
    let received = 0;
    let done = false;
    const call = client.makeBidiStreamRequest('/dapr.proto.components.v1.PubSub/PullMessages', (b: Buffer) => b, (b: Buffer) => b, md, {
      deadline: Date.now() + 30_000,
    });
    const finish = (outcome: CallOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...outcome, received });
    };
    call.on('data', () => {
      received += 1;
    });
    call.on('error', (err: grpc.ServiceError) => finish({ code: err.code, details: err.details }));
    call.on('status', (st: grpc.StatusObject) => finish({ code: st.code, details: st.details }));
    for (const f of frames) call.write(f);
    const timer = setTimeout(() => {
      call.cancel();
    }, lingerMs);
  });
}

/** A PullMessagesRequest frame: `topic` for the first, else an ack of `id` (nack when `error`). */
export function pullFrame(fields: { topic?: string; id?: string; error?: string }): Buffer {
  return encode('PullMessagesRequest', {
    ...(fields.topic !== undefined ? { topic: { name: fields.topic } } : {}),
    ...(fields.id !== undefined ? { ackMessageId: fields.id } : {}),
    ...(fields.error !== undefined ? { ackError: { message: fields.error } } : {}),
  });
}
