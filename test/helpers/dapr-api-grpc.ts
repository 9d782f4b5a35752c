/**
 * A gRPC client of daprd's own API (dapr.proto.runtime.v1.Dapr), loaded from the .proto files
 * @dapr/dapr ships: publish, bulk publish and streaming subscriptions as an app would call them.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

type Callback<T> = (err: grpc.ServiceError | null, value?: T) => void;

export interface DaprApiClient extends grpc.Client {
  PublishEvent(req: unknown, cb: Callback<unknown>): grpc.ClientUnaryCall;
  BulkPublishEvent(req: unknown, cb: Callback<{ failedEntries: unknown[] }>): grpc.ClientUnaryCall;
  SubscribeTopicEventsAlpha1(): grpc.ClientDuplexStream<unknown, SubscribeResponse>;
}

export interface TopicEvent {
  id: string;
  source: string;
  type: string;
  specVersion: string;
  dataContentType: string;
  data: Buffer;
  topic: string;
  pubsubName: string;
  path: string;
  extensions?: unknown;
}

export interface SubscribeResponse {
  initialResponse?: Record<string, never>;
  eventMessage?: TopicEvent;
  subscribeTopicEventsResponseType: 'initialResponse' | 'eventMessage';
}

let ctor: grpc.ServiceClientConstructor | undefined;

export function daprApiClient(grpcPort: number): DaprApiClient {
  if (ctor === undefined) {
    const require = createRequire(import.meta.url);
    const protoRoot = join(dirname(require.resolve('@dapr/dapr')), 'proto');
    const def = protoLoader.loadSync('dapr/proto/runtime/v1/dapr.proto', { includeDirs: [protoRoot], longs: String, enums: String, oneofs: true, defaults: true });
    const pkg = grpc.loadPackageDefinition(def) as unknown as { dapr: { proto: { runtime: { v1: { Dapr: grpc.ServiceClientConstructor } } } } };
    ctor = pkg.dapr.proto.runtime.v1.Dapr;
  }
  return new ctor(`127.0.0.1:${grpcPort}`, grpc.credentials.createInsecure()) as unknown as DaprApiClient;
}

/** Promise form of a unary call. */
export function unary<T>(call: (cb: Callback<T>) => unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    call((err, value) => (err ? reject(err) : resolve(value as T)));
  });
}
