/**
 * A test double for daprd: it talks to the component the way daprd does (see
 * /work/shared/design/dapr-wire-contract.md): reflection discovery over the Unix socket, every
 * call tagged with `x-component-instance`, Init within daprd's init timeout, and PullMessages
 * streams handled strictly one message at a time (handle, then ack or nack, then the next).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType } from '../../src/generated/pubsub.js';
import type { PubSubClient as GeneratedPubSubClient } from '../../src/generated/dapr/proto/components/v1/PubSub.js';
import type { PullMessagesRequest } from '../../src/generated/dapr/proto/components/v1/PullMessagesRequest.js';
import type { PullMessagesResponse__Output } from '../../src/generated/dapr/proto/components/v1/PullMessagesResponse.js';
import type { FeaturesResponse__Output } from '../../src/generated/dapr/proto/components/v1/FeaturesResponse.js';
import type { BulkPublishResponse__Output } from '../../src/generated/dapr/proto/components/v1/BulkPublishResponse.js';
import type { BulkPublishResponseFailedEntry__Output } from '../../src/generated/dapr/proto/components/v1/BulkPublishResponseFailedEntry.js';
import { DEFAULT_WAIT_MS, waitUntil, withTimeout } from './wait.js';

/** Fully-qualified service names daprd looks for. */
export const PUBSUB_SERVICE = 'dapr.proto.components.v1.PubSub';
export const STATE_SERVICES = [
  'dapr.proto.components.v1.StateStore',
  'dapr.proto.components.v1.TransactionalStateStore',
  'dapr.proto.components.v1.QueriableStateStore',
  'dapr.proto.components.v1.TransactionalStoreMultiMaxSize',
] as const;
export const REFLECTION_SERVICES = [
  'grpc.reflection.v1.ServerReflection',
  'grpc.reflection.v1alpha.ServerReflection',
] as const;

/** daprd's default component `initTimeout`: Init (and Features) must answer within it. */
export const DAPRD_INIT_TIMEOUT_MS = 5_000;
/** Deadline for every other unary call made by the harness. */
export const DEFAULT_CALL_TIMEOUT_MS = 15_000;
/** Payload prefix of the harness's readiness probes; never handed to a test's handler. */
export const PROBE_PREFIX = '__daprd-harness-probe__:';

/** Same options as the component's loader and scripts/gen-proto-types.sh. */
const LOADER_OPTIONS: protoLoader.Options = { longs: String, enums: String, oneofs: true };

function findProjectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'proto', 'dapr', 'proto', 'components', 'v1', 'pubsub.proto'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('daprd-harness: cannot find the project root (proto/dapr/...)');
    dir = parent;
  }
}

let pubsubProto: ProtoGrpcType | undefined;
function loadPubSubProto(): ProtoGrpcType {
  if (!pubsubProto) {
    const root = findProjectRoot();
    const def = protoLoader.loadSync('dapr/proto/components/v1/pubsub.proto', {
      ...LOADER_OPTIONS,
      includeDirs: [join(root, 'proto')],
    });
    pubsubProto = grpc.loadPackageDefinition(def) as unknown as ProtoGrpcType;
  }
  return pubsubProto;
}

type ReflectionVersion = 'v1alpha' | 'v1';
const reflectionCtors = new Map<ReflectionVersion, grpc.ServiceClientConstructor>();
function loadReflectionClient(version: ReflectionVersion): grpc.ServiceClientConstructor {
  let ctor = reflectionCtors.get(version);
  if (!ctor) {
    // @grpc/reflection ships the reflection protos next to its build output.
    const require = createRequire(import.meta.url);
    const protoRoot = join(dirname(require.resolve('@grpc/reflection')), '..', 'proto');
    const def = protoLoader.loadSync(`grpc/reflection/${version}/reflection.proto`, {
      ...LOADER_OPTIONS,
      includeDirs: [protoRoot],
    });
    const pkg = grpc.loadPackageDefinition(def) as unknown as {
      grpc: { reflection: Record<ReflectionVersion, { ServerReflection: grpc.ServiceClientConstructor }> };
    };
    ctor = pkg.grpc.reflection[version].ServerReflection;
    reflectionCtors.set(version, ctor);
  }
  return ctor;
}

function target(socketPath: string): string {
  return `unix:${socketPath}`;
}

export interface DiscoverOptions {
  /** daprd uses v1alpha only; v1 is also served by the component. */
  version?: ReflectionVersion;
  timeoutMs?: number;
}

/**
 * Lists the services on the socket with gRPC reflection `list_services`, as daprd does at
 * startup. Rejects (with the gRPC error) if the socket cannot be dialled or listed.
 */
export async function discoverServices(socketPath: string, options: DiscoverOptions = {}): Promise<string[]> {
  const Ctor = loadReflectionClient(options.version ?? 'v1alpha');
  const client = new Ctor(target(socketPath), grpc.credentials.createInsecure());
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  try {
    const call = (client as unknown as { serverReflectionInfo(opts: grpc.CallOptions): grpc.ClientDuplexStream<unknown, unknown> })
      .serverReflectionInfo({ deadline: Date.now() + timeoutMs });
    const response = new Promise<string[]>((resolve, reject) => {
      call.once('data', (res: { listServicesResponse?: { service?: Array<{ name?: string }> }; errorResponse?: { errorMessage?: string } }) => {
        if (res.listServicesResponse) {
          resolve((res.listServicesResponse.service ?? []).map((s) => s.name ?? ''));
        } else {
          reject(new Error(`reflection list_services answered without a service list: ${res.errorResponse?.errorMessage ?? JSON.stringify(res)}`));
        }
      });
      call.once('error', reject);
      call.once('end', () => reject(new Error('reflection stream ended without a response')));
    });
    call.write({ listServices: '*' });
    try {
      return await response;
    } finally {
      call.end();
      call.cancel();
    }
  } finally {
    client.close();
  }
}

/** A gRPC error as the tests see it. */
export type GrpcError = grpc.ServiceError;

/** One message delivered on a PullMessages stream, as the fake app saw it. */
export interface Delivery {
  id: string;
  topicName: string;
  data: Buffer;
  metadata: Record<string, string>;
  contentType: string;
  /** Date.now() when the harness received it from the stream. */
  receivedAt: number;
  /** Set once the handler finished: 'ack' (returned) or 'nack' (threw). */
  outcome?: 'ack' | 'nack';
  /** The nack's error message. */
  error?: string;
}

/** The fake app: return to ack, throw to nack. Called one message at a time. */
export type MessageHandler = (message: Delivery) => void | Promise<void>;

export interface ReadyOptions {
  /** Topic to publish probes to; by default derived from the subscription's topic filter. */
  probeTopic?: string;
  /** How to publish a probe; by default through this instance's Publish (retain forced off). */
  publish?: (topic: string, data: Buffer) => Promise<unknown>;
  timeoutMs?: number;
}

export interface WaitForOptions {
  timeoutMs?: number;
}

/** One PullMessages stream, driven like daprd drives it. */
export interface Subscription {
  readonly topic: string;
  /** Every delivery except readiness probes, in arrival order (redeliveries included). */
  readonly deliveries: readonly Delivery[];
  /** Deliveries the handler accepted (acked), in order. */
  readonly acked: readonly Delivery[];
  /** Deliveries the handler rejected (nacked), in order. */
  readonly nacked: readonly Delivery[];
  /**
   * The most messages ever received on this stream and not yet acked. A component that waits
   * for each ack (as the wire contract requires) keeps this at 1.
   */
  readonly maxOutstanding: number;
  /** Set when the server ended the stream (the component must never do that on its own). */
  readonly serverEnd: { error?: GrpcError } | undefined;
  /** Waits until `deliveries.length >= n` or `condition()` holds. */
  waitFor(condition: number | (() => boolean), options?: WaitForOptions & { what?: string }): Promise<void>;
  /** Waits until `acked.length >= n`. */
  waitForAcked(n: number, options?: WaitForOptions): Promise<void>;
  /** Waits until the server ends the stream; resolves with its error (undefined if it ended cleanly). */
  waitForServerEnd(options?: WaitForOptions): Promise<GrpcError | undefined>;
  /**
   * Publishes probe messages until one comes back on this stream: the subscription is then
   * active at the broker. Probes are acked and never shown to the handler or recorded.
   */
  ready(options?: ReadyOptions): Promise<void>;
  /** Cancels the stream (as daprd does when it unsubscribes) and waits for it to close. */
  close(): Promise<void>;
}

export interface PubSubConnection {
  readonly instance: string;
  /** Init with the given properties, within daprd's init timeout unless told otherwise. */
  init(properties: Record<string, string>, options?: { timeoutMs?: number }): Promise<void>;
  features(): Promise<string[]>;
  /** `contentType` fills PublishRequest.content_type (daprd itself leaves it empty). */
  publish(topic: string, data: Buffer | string, metadata?: Record<string, string>, contentType?: string): Promise<void>;
  bulkPublish(
    topic: string,
    entries: Array<{ entryId: string; event: Buffer | string; contentType?: string; metadata?: Record<string, string> }>,
    metadata?: Record<string, string>,
  ): Promise<BulkPublishResponseFailedEntry__Output[]>;
  ping(): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  subscribe(topic: string, metadata: Record<string, string>, handler: MessageHandler): Subscription;
  /** Cancels every open subscription and closes the channel. Idempotent. */
  close(): Promise<void>;
}

/** Turns a probe-able topic out of a subscription filter: strips `$share/<group>/`, fills wildcards. */
export function probeTopicFor(filter: string): string {
  let topic = filter;
  if (topic.startsWith('$share/')) topic = topic.split('/').slice(2).join('/');
  return topic
    .split('/')
    .map((level) => (level === '+' || level === '#' ? 'probe' : level))
    .join('/');
}

function isProbe(data: Buffer | undefined): boolean {
  return data !== undefined && data.subarray(0, PROBE_PREFIX.length).toString('latin1') === PROBE_PREFIX;
}

type Unary<Res> = (md: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<Res>) => void;

class HarnessSubscription implements Subscription {
  readonly deliveries: Delivery[] = [];
  readonly acked: Delivery[] = [];
  readonly nacked: Delivery[] = [];
  maxOutstanding = 0;
  serverEnd: { error?: GrpcError } | undefined;

  private readonly queue: PullMessagesResponse__Output[] = [];
  private outstanding = 0;
  private pumping = false;
  private cancelled = false;
  private closed = false;
  private readonly closedPromise: Promise<void>;
  private readonly seenProbes = new Set<string>();

  constructor(
    readonly topic: string,
    private readonly call: grpc.ClientDuplexStream<PullMessagesRequest, PullMessagesResponse__Output>,
    private readonly handler: MessageHandler,
    private readonly defaultPublish: (topic: string, data: Buffer) => Promise<unknown>,
    private readonly onClosed: () => void,
  ) {
    this.closedPromise = new Promise<void>((resolve) => {
      const finish = (error?: GrpcError) => {
        if (this.closed) return;
        this.closed = true;
        if (!this.cancelled) this.serverEnd = error ? { error } : {};
        this.onClosed();
        resolve();
      };
      call.on('error', (err: GrpcError) => finish(err));
      // 'status' follows the last message whether the call ended well or not.
      call.on('status', (status: grpc.StatusObject) => {
        if (status.code === grpc.status.OK) finish();
      });
    });
    call.on('data', (msg: PullMessagesResponse__Output) => {
      this.outstanding += 1;
      this.maxOutstanding = Math.max(this.maxOutstanding, this.outstanding);
      this.queue.push(msg);
      void this.pump();
    });
  }

  /** Handles queued messages strictly one at a time: handler, then ack/nack, then the next. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let msg = this.queue.shift(); msg !== undefined; msg = this.queue.shift()) {
        if (this.closed || this.cancelled) return;
        const id = msg.id ?? '';
        const data = msg.data ?? Buffer.alloc(0);
        if (isProbe(data)) {
          this.seenProbes.add(data.subarray(PROBE_PREFIX.length).toString('utf8'));
          this.ack({ ackMessageId: id });
          continue;
        }
        const delivery: Delivery = {
          id,
          topicName: msg.topicName ?? '',
          data,
          metadata: { ...(msg.metadata ?? {}) },
          contentType: msg.contentType ?? '',
          receivedAt: Date.now(),
        };
        this.deliveries.push(delivery);
        try {
          await this.handler(delivery);
          delivery.outcome = 'ack';
          this.acked.push(delivery);
          this.ack({ ackMessageId: id });
        } catch (err) {
          delivery.outcome = 'nack';
          delivery.error = err instanceof Error ? err.message : String(err);
          this.nacked.push(delivery);
          this.ack({ ackMessageId: id, ackError: { message: delivery.error || 'nack' } });
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private ack(request: PullMessagesRequest): void {
    if (!this.closed && !this.cancelled) this.call.write(request);
    this.outstanding -= 1;
  }

  private describe(): string {
    const end = this.serverEnd ? `; server ended the stream: ${this.serverEnd.error?.message ?? 'OK'}` : '';
    return `on "${this.topic}": ${this.deliveries.length} deliveries, ${this.acked.length} acked, ${this.nacked.length} nacked${end}`;
  }

  async waitFor(condition: number | (() => boolean), options: WaitForOptions & { what?: string } = {}): Promise<void> {
    const check = typeof condition === 'number' ? () => this.deliveries.length >= condition : condition;
    const what = options.what ?? (typeof condition === 'number' ? `${condition} deliveries` : 'condition');
    await waitUntil(check, () => `${what} ${this.describe()}`, options);
  }

  async waitForAcked(n: number, options: WaitForOptions = {}): Promise<void> {
    await waitUntil(() => this.acked.length >= n, () => `${n} acked ${this.describe()}`, options);
  }

  async waitForServerEnd(options: WaitForOptions = {}): Promise<GrpcError | undefined> {
    await waitUntil(() => this.serverEnd !== undefined, () => `the server to end the stream ${this.describe()}`, options);
    return this.serverEnd?.error;
  }

  async ready(options: ReadyOptions = {}): Promise<void> {
    const probeTopic = options.probeTopic ?? probeTopicFor(this.topic);
    const publish = options.publish ?? this.defaultPublish;
    const nonce = randomUUID();
    const payload = Buffer.from(`${PROBE_PREFIX}${nonce}`);
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
      if (this.serverEnd) break;
      try {
        await publish(probeTopic, payload);
      } catch (err) {
        lastError = err;
      }
      const roundEnd = Math.min(deadline, Date.now() + 300);
      while (Date.now() < roundEnd && !this.seenProbes.has(nonce) && !this.serverEnd) {
        await new Promise((r) => setTimeout(r, 10));
      }
      if (this.seenProbes.has(nonce)) return;
    }
    const why = lastError instanceof Error ? `; last probe publish failed: ${lastError.message}` : '';
    throw new Error(`subscription not ready within ${timeoutMs} ms (probe topic "${probeTopic}") ${this.describe()}${why}`);
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.cancelled = true;
      this.call.cancel();
    }
    await withTimeout(this.closedPromise, 5_000, `stream on "${this.topic}" to close after cancel`);
  }
}

/**
 * Connects to the component's socket as one Dapr component instance: every call carries
 * `x-component-instance: <instance>`.
 */
export function connectPubSub(socketPath: string, instance: string): PubSubConnection {
  const { PubSub } = loadPubSubProto().dapr.proto.components.v1;
  const client: GeneratedPubSubClient = new PubSub(target(socketPath), grpc.credentials.createInsecure());
  const subscriptions = new Set<HarnessSubscription>();
  let closed = false;

  const metadata = (): grpc.Metadata => {
    const md = new grpc.Metadata();
    md.set('x-component-instance', instance);
    return md;
  };
  const call = <Res>(fn: Unary<Res>, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<Res> =>
    new Promise<Res>((resolve, reject) => {
      fn(metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolve(res as Res)));
    });

  const connection: PubSubConnection = {
    instance,
    async init(properties, options = {}) {
      await call((md, o, cb) => client.init({ metadata: { properties } }, md, o, cb), options.timeoutMs ?? DAPRD_INIT_TIMEOUT_MS);
    },
    async features() {
      const res = await call<FeaturesResponse__Output>((md, o, cb) => client.features({}, md, o, cb), DAPRD_INIT_TIMEOUT_MS);
      return res.feature ?? [];
    },
    async publish(topic, data, md = {}, contentType = '') {
      await call((m, o, cb) =>
        client.publish({ data: Buffer.from(data), pubsubName: 'pubsub', topic, metadata: md, contentType }, m, o, cb),
      );
    },
    async bulkPublish(topic, entries, md = {}) {
      const res = await call<BulkPublishResponse__Output>((m, o, cb) =>
        client.bulkPublish(
          {
            topic,
            pubsubName: 'pubsub',
            metadata: md,
            entries: entries.map((e) => ({
              entryId: e.entryId,
              event: Buffer.from(e.event),
              contentType: e.contentType ?? '',
              metadata: e.metadata ?? {},
            })),
          },
          m,
          o,
          cb,
        ),
      );
      return res.failedEntries ?? [];
    },
    async ping() {
      await call((md, o, cb) => client.ping({}, md, o, cb));
    },
    async pause() {
      await call((md, o, cb) => client.pause({}, md, o, cb));
    },
    async resume() {
      await call((md, o, cb) => client.resume({}, md, o, cb));
    },
    subscribe(topic, topicMetadata, handler) {
      if (closed) throw new Error('daprd-harness: subscribe on a closed connection');
      const stream = client.pullMessages(metadata());
      const sub: HarnessSubscription = new HarnessSubscription(
        topic,
        stream,
        handler,
        (probeTopic, data) => connection.publish(probeTopic, data, { retain: 'false' }),
        () => subscriptions.delete(sub),
      );
      subscriptions.add(sub);
      stream.write({ topic: { name: topic, metadata: topicMetadata } });
      return sub;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...subscriptions].map((s) => s.close()));
      client.close();
    },
  };
  return connection;
}
