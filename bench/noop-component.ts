/**
 * The ceiling: a component on the same gRPC stack as ours (@grpc/grpc-js server on a Unix
 * socket, the same protos and loader options, Publish decoded as ours decodes it, Set and Get
 * with raw payloads as ours has them) that answers Init, Publish, Set and Get at once and does
 * nothing else. Run as its own process:
 *   node dist/bench/noop-component.js <socket path>
 * It prints "ready" on stdout once listening and exits 0 on SIGTERM.
 */
import { rmSync } from 'node:fs';
import { Server, ServerCredentials, type MethodDefinition, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { LOADER_OPTIONS, PUBSUB_PROTO, STATE_PROTO } from '../src/grpc/proto-loader-options.js';
import { getResponseMessage } from './lib/protos.js';

const PKG = 'dapr.proto.components.v1';
const identity = (b: Buffer): Buffer => b;
/** Same as the component's server option. */
const MAX_RECEIVE_BYTES = 64 * 1024 * 1024;

type Callback = (err: null, value: unknown) => void;

/** Answers a Get as if the key held a 256 B value: the response is as big as the real one. */
const GET_RESPONSE = getResponseMessage(Buffer.alloc(256, 0x61), '1');
const EMPTY = Buffer.alloc(0);

function rawMethods(def: ServiceDefinition, names: readonly string[]): ServiceDefinition {
  const out: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const [name, method] of Object.entries(def as Record<string, MethodDefinition<unknown, unknown>>)) {
    out[name] = names.includes(name) ? { ...method, requestDeserialize: identity, responseSerialize: identity as (v: unknown) => Buffer } : method;
  }
  return out as ServiceDefinition;
}

async function main(): Promise<void> {
  const socketPath = process.argv[2];
  if (!socketPath) {
    process.stderr.write('usage: noop-component.js <socket path>\n');
    process.exit(2);
  }
  rmSync(socketPath, { force: true });
  const loaded = loadSync([PUBSUB_PROTO, STATE_PROTO], LOADER_OPTIONS);
  const server = new Server({ 'grpc.max_receive_message_length': MAX_RECEIVE_BYTES });
  const ok = (_call: unknown, cb: Callback): void => cb(null, {});
  const pubsub: UntypedServiceImplementation = {
    Init: ok,
    Features: (_c: unknown, cb: Callback) => cb(null, { feature: ['BULK_PUBSUB'] }),
    Publish: ok,
    BulkPublish: (_c: unknown, cb: Callback) => cb(null, { failedEntries: [] }),
    Pause: ok,
    Resume: ok,
    Ping: ok,
    PullMessages: (call: { end(): void }) => call.end(),
  };
  server.addService(loaded[`${PKG}.PubSub`] as ServiceDefinition, pubsub);
  const state: UntypedServiceImplementation = {
    Init: ok,
    Features: (_c: unknown, cb: Callback) => cb(null, { feature: ['ETAG'] }),
    Ping: ok,
    Get: (_c: unknown, cb: Callback) => cb(null, GET_RESPONSE),
    Set: (_c: unknown, cb: Callback) => cb(null, EMPTY),
    Delete: (_c: unknown, cb: Callback) => cb(null, EMPTY),
    BulkGet: (_c: unknown, cb: Callback) => cb(null, EMPTY),
    BulkSet: (_c: unknown, cb: Callback) => cb(null, EMPTY),
    BulkDelete: (_c: unknown, cb: Callback) => cb(null, EMPTY),
  };
  server.addService(rawMethods(loaded[`${PKG}.StateStore`] as ServiceDefinition, ['Get', 'Set', 'Delete', 'BulkGet', 'BulkSet', 'BulkDelete']), state);
  await new Promise<void>((resolve, reject) => {
    server.bindAsync(`unix:${socketPath}`, ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve()));
  });
  process.stdout.write('ready\n');
  const stop = (): void => {
    server.tryShutdown(() => {
      rmSync(socketPath, { force: true });
      process.exit(0);
    });
    // Bounded: streams the generator left open do not keep us alive.
    setTimeout(() => {
      server.forceShutdown();
      rmSync(socketPath, { force: true });
      process.exit(0);
    }, 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
