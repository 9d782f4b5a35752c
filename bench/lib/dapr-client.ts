/**
 * The daprd side, as far as the bench needs it: Init of a pub/sub and a state instance, unary
 * Publish and Get (latency probes, read-back), and PullMessages streams driven as daprd drives
 * them: one message at a time, acked (or nacked) at once when it arrives.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType as PubSubProto } from '../../src/generated/pubsub.js';
import type { ProtoGrpcType as StateProto } from '../../src/generated/state.js';
import type { PubSubClient } from '../../src/generated/dapr/proto/components/v1/PubSub.js';
import type { StateStoreClient } from '../../src/generated/dapr/proto/components/v1/StateStore.js';
import type { PullMessagesRequest } from '../../src/generated/dapr/proto/components/v1/PullMessagesRequest.js';
import type { PullMessagesResponse__Output } from '../../src/generated/dapr/proto/components/v1/PullMessagesResponse.js';
import type { GetResponse__Output } from '../../src/generated/dapr/proto/components/v1/GetResponse.js';
import { PROTO_DIR } from './protos.js';

const OPTIONS: protoLoader.Options = { longs: String, enums: String, oneofs: true, includeDirs: [PROTO_DIR] };
const CALL_TIMEOUT_MS = 15_000;

let protos: { pubsub: PubSubProto; state: StateProto } | undefined;
function load(): { pubsub: PubSubProto; state: StateProto } {
  protos ??= {
    pubsub: grpc.loadPackageDefinition(protoLoader.loadSync('dapr/proto/components/v1/pubsub.proto', OPTIONS)) as unknown as PubSubProto,
    state: grpc.loadPackageDefinition(protoLoader.loadSync('dapr/proto/components/v1/state.proto', OPTIONS)) as unknown as StateProto,
  };
  return protos;
}

function md(instance: string): grpc.Metadata {
  const m = new grpc.Metadata();
  m.set('x-component-instance', instance);
  return m;
}

function unary<Res>(fn: (m: grpc.Metadata, o: grpc.CallOptions, cb: grpc.requestCallback<Res>) => void, instance: string): Promise<Res> {
  return new Promise((resolve, reject) => {
    fn(md(instance), { deadline: Date.now() + CALL_TIMEOUT_MS }, (err, res) => (err ? reject(err) : resolve(res as Res)));
  });
}

/** One message as the daprd-like client saw it. */
export interface Pulled {
  readonly data: Buffer;
  readonly topic: string;
  /** performance.now() when it arrived on the stream. */
  readonly at: number;
}

export interface PullStream {
  readonly topic: string;
  /** Messages received (probes excluded). */
  received: number;
  close(): void;
}

export const PROBE_PREFIX = Buffer.from('__bench_probe__');

export function isProbe(data: Buffer): boolean {
  return data.length >= PROBE_PREFIX.length && data.subarray(0, PROBE_PREFIX.length).equals(PROBE_PREFIX);
}

export class PubSubDapr {
  private readonly client: PubSubClient;

  constructor(
    socketPath: string,
    readonly instance: string,
  ) {
    const { PubSub } = load().pubsub.dapr.proto.components.v1;
    this.client = new PubSub(`unix:${socketPath}`, grpc.credentials.createInsecure());
  }

  async init(properties: Record<string, string>): Promise<void> {
    await unary((m, o, cb) => this.client.init({ metadata: { properties } }, m, o, cb), this.instance);
  }

  async publish(topic: string, data: Buffer): Promise<void> {
    await unary((m, o, cb) => this.client.publish({ data, pubsubName: 'pubsub', topic, metadata: {} }, m, o, cb), this.instance);
  }

  /**
   * Opens a PullMessages stream on `topic`; every message is acked the moment it arrives
   * (`nack: true`: nacked instead), after `onMessage` saw it. Probes are acked and counted apart.
   */
  pull(topic: string, metadata: Record<string, string>, onMessage: (m: Pulled) => void, options: { nack?: boolean; onProbe?: (data: Buffer) => void } = {}): PullStream {
    const call = this.client.pullMessages(md(this.instance));
    const stream: PullStream = {
      topic,
      received: 0,
      close: () => call.cancel(),
    };
    call.on('data', (msg: PullMessagesResponse__Output) => {
      const data = msg.data ?? Buffer.alloc(0);
      const ack: PullMessagesRequest = { ackMessageId: msg.id ?? '' };
      if (isProbe(data)) {
        options.onProbe?.(data);
        call.write(ack);
        return;
      }
      stream.received += 1;
      onMessage({ data, topic: msg.topicName ?? '', at: performance.now() });
      call.write(options.nack ? { ...ack, ackError: { message: 'bench nack' } } : ack);
    });
    call.on('error', () => undefined); // cancelled by close()
    call.write({ topic: { name: topic, metadata } });
    return stream;
  }

  close(): void {
    this.client.close();
  }
}

export class StateDapr {
  private readonly client: StateStoreClient;

  constructor(
    socketPath: string,
    readonly instance: string,
  ) {
    const { StateStore } = load().state.dapr.proto.components.v1;
    this.client = new StateStore(`unix:${socketPath}`, grpc.credentials.createInsecure());
  }

  async init(properties: Record<string, string>): Promise<void> {
    await unary((m, o, cb) => this.client.init({ metadata: { properties } }, m, o, cb), this.instance);
  }

  async set(key: string, value: Buffer): Promise<void> {
    await unary(
      (m, o, cb) => this.client.set({ key, value, metadata: {}, options: { concurrency: 'CONCURRENCY_UNSPECIFIED', consistency: 'CONSISTENCY_UNSPECIFIED' } }, m, o, cb),
      this.instance,
    );
  }

  async get(key: string): Promise<{ data: Buffer | undefined; etag: string | undefined }> {
    const res = await unary<GetResponse__Output>((m, o, cb) => this.client.get({ key, metadata: {}, consistency: 'CONSISTENCY_UNSPECIFIED' }, m, o, cb), this.instance);
    return { data: res?.data && res.data.length > 0 ? res.data : undefined, etag: res?.etag?.value ?? undefined };
  }

  close(): void {
    this.client.close();
  }
}
