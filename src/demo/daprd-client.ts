/**
 * The few calls daprd makes to a pluggable component, for the demo: reflection discovery, then
 * PubSub and StateStore calls over the Unix socket, each tagged with `x-component-instance`.
 * Not used by the component.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import type { ProtoGrpcType as PubSubProto } from '../generated/pubsub.js';
import type { ProtoGrpcType as StateProto } from '../generated/state.js';
import type { PubSubClient } from '../generated/dapr/proto/components/v1/PubSub.js';
import type { StateStoreClient } from '../generated/dapr/proto/components/v1/StateStore.js';
import type { PullMessagesRequest } from '../generated/dapr/proto/components/v1/PullMessagesRequest.js';
import type { PullMessagesResponse__Output } from '../generated/dapr/proto/components/v1/PullMessagesResponse.js';
import type { GetResponse__Output } from '../generated/dapr/proto/components/v1/GetResponse.js';
import { LOADER_OPTIONS, PUBSUB_PROTO, STATE_PROTO } from '../grpc/proto-loader-options.js';
import { decodeBadRequest, decodeStatus } from '../grpc/status-details.js';

/** daprd's default component init timeout. */
const INIT_TIMEOUT_MS = 5_000;
const CALL_TIMEOUT_MS = 10_000;

type Callback<T> = (err: grpc.ServiceError | null, res?: T) => void;

function metadataFor(instance: string): grpc.Metadata {
  const md = new grpc.Metadata();
  md.set('x-component-instance', instance);
  return md;
}

function call<T>(fn: (md: grpc.Metadata, options: grpc.CallOptions, cb: Callback<T>) => unknown, instance: string, timeoutMs = CALL_TIMEOUT_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    fn(metadataFor(instance), { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolve(res as T)));
  });
}

/** What daprd makes of a failed call (see its pluggable state store's error mapping). */
export interface DaprdError {
  /** gRPC status name, e.g. FAILED_PRECONDITION. */
  readonly code: string;
  readonly message: string;
  /** The `google.rpc.BadRequest` field violations daprd reads (etag errors name `etag`). */
  readonly fields: readonly string[];
  /** The Status in `grpc-status-details-bin` had the call's code, so daprd uses it. */
  readonly detailsUsed: boolean;
}

/** Decodes a gRPC error as daprd does: the details count only when their code is the call's. */
export function asDaprdSees(err: unknown): DaprdError {
  const e = err as grpc.ServiceError;
  const code = Object.entries(grpc.status).find(([, v]) => v === e.code)?.[0] ?? String(e.code);
  const raw = e.metadata?.get('grpc-status-details-bin')[0];
  if (raw === undefined) return { code, message: e.details, fields: [], detailsUsed: false };
  const status = decodeStatus(Buffer.isBuffer(raw) ? raw : Buffer.from(raw));
  if (status.code !== e.code) return { code, message: e.details, fields: [], detailsUsed: false };
  const fields = status.details
    .filter((d) => d.typeUrl.endsWith('google.rpc.BadRequest'))
    .flatMap((d) => decodeBadRequest(d.value).fieldViolations.map((v) => v.field));
  return { code, message: status.message, fields, detailsUsed: true };
}

/** One PullMessages stream, read one message at a time as daprd does. */
export class PullStream {
  private readonly waiting: PullMessagesResponse__Output[] = [];
  private wake: (() => void) | undefined;
  private failure: Error | undefined;

  constructor(private readonly stream: grpc.ClientDuplexStream<PullMessagesRequest, PullMessagesResponse__Output>) {
    stream.on('data', (m: PullMessagesResponse__Output) => {
      this.waiting.push(m);
      this.wake?.();
    });
    stream.on('error', (err: Error) => {
      this.failure ??= err;
      this.wake?.();
    });
    stream.on('end', () => {
      this.failure ??= new Error('the component ended the stream');
      this.wake?.();
    });
  }

  /** The next message, or an error after `timeoutMs`. */
  async next(timeoutMs: number): Promise<PullMessagesResponse__Output> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.waiting.shift();
      if (m) return m;
      if (this.failure) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  ack(id: string): void {
    this.stream.write({ ackMessageId: id });
  }

  nack(id: string, message: string): void {
    this.stream.write({ ackMessageId: id, ackError: { message } });
  }

  /** daprd unsubscribing: cancel the stream. */
  cancel(): void {
    this.stream.cancel();
  }
}

export class DaprdClient {
  private readonly pubsubClient: PubSubClient;
  private readonly stateClient: StateStoreClient;
  private readonly reflection: grpc.Client;

  constructor(readonly socketPath: string) {
    const target = `unix:${socketPath}`;
    const creds = grpc.credentials.createInsecure();
    const loaded = grpc.loadPackageDefinition(loadSync([PUBSUB_PROTO, STATE_PROTO], LOADER_OPTIONS)) as unknown as PubSubProto & StateProto;
    this.pubsubClient = new loaded.dapr.proto.components.v1.PubSub(target, creds);
    this.stateClient = new loaded.dapr.proto.components.v1.StateStore(target, creds);
    const dir = join(dirname(createRequire(import.meta.url).resolve('@grpc/reflection')), '..', 'proto');
    const reflection = grpc.loadPackageDefinition(loadSync('grpc/reflection/v1alpha/reflection.proto', { includeDirs: [dir] })) as unknown as {
      grpc: { reflection: { v1alpha: { ServerReflection: grpc.ServiceClientConstructor } } };
    };
    this.reflection = new reflection.grpc.reflection.v1alpha.ServerReflection(target, creds);
  }

  /** Reflection `list_services` on `grpc.reflection.v1alpha`, the only version daprd uses. */
  listServices(): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const stream = (this.reflection as unknown as { serverReflectionInfo(o: grpc.CallOptions): grpc.ClientDuplexStream<unknown, unknown> }).serverReflectionInfo({
        deadline: Date.now() + CALL_TIMEOUT_MS,
      });
      stream.once('data', (res: { listServicesResponse?: { service?: Array<{ name?: string }> } }) => {
        resolve((res.listServicesResponse?.service ?? []).map((s) => s.name ?? ''));
        stream.end();
      });
      stream.once('error', reject);
      stream.write({ listServices: '*' });
    });
  }

  async pubsubInit(instance: string, properties: Record<string, string>): Promise<void> {
    await call((md, o, cb) => this.pubsubClient.init({ metadata: { properties } }, md, o, cb), instance, INIT_TIMEOUT_MS);
  }

  async pubsubFeatures(instance: string): Promise<string[]> {
    const res = await call<{ feature?: string[] }>((md, o, cb) => this.pubsubClient.features({}, md, o, cb), instance, INIT_TIMEOUT_MS);
    return res.feature ?? [];
  }

  async publish(instance: string, topic: string, data: string): Promise<void> {
    await call((md, o, cb) => this.pubsubClient.publish({ pubsubName: instance, topic, data: Buffer.from(data), metadata: {} }, md, o, cb), instance);
  }

  /** Opens a PullMessages stream; the first request names the topic. */
  pull(instance: string, topic: string): PullStream {
    const stream = this.pubsubClient.pullMessages(metadataFor(instance));
    stream.write({ topic: { name: topic, metadata: {} } });
    return new PullStream(stream);
  }

  async stateInit(instance: string, properties: Record<string, string>): Promise<void> {
    await call((md, o, cb) => this.stateClient.init({ metadata: { properties } }, md, o, cb), instance, INIT_TIMEOUT_MS);
  }

  async stateFeatures(instance: string): Promise<string[]> {
    const res = await call<{ feature?: string[] }>((md, o, cb) => this.stateClient.features({}, md, o, cb), instance, INIT_TIMEOUT_MS);
    return res.feature ?? [];
  }

  /** Set as daprd sends it for an app that gives (or not) an etag: `etag` undefined = no etag message. */
  async set(instance: string, key: string, value: string, etag?: string): Promise<void> {
    await call(
      (md, o, cb) =>
        this.stateClient.set(
          {
            key,
            value: Buffer.from(value),
            ...(etag === undefined ? {} : { etag: { value: etag } }),
            metadata: {},
            options: { concurrency: 'CONCURRENCY_UNSPECIFIED', consistency: 'CONSISTENCY_UNSPECIFIED' },
            contentType: 'application/json',
          },
          md,
          o,
          cb,
        ),
      instance,
    );
  }

  get(instance: string, key: string): Promise<GetResponse__Output> {
    return call<GetResponse__Output>((md, o, cb) => this.stateClient.get({ key, metadata: {}, consistency: 'CONSISTENCY_UNSPECIFIED' }, md, o, cb), instance);
  }

  close(): void {
    this.pubsubClient.close();
    this.stateClient.close();
    this.reflection.close();
  }
}
