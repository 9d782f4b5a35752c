import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Server, ServerCredentials, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import type { Logger } from '../logging/logger.js';
import { ComponentError } from '../errors/component-error.js';
import { LOADER_OPTIONS, PUBSUB_PROTO, STATE_PROTO } from './proto-loader-options.js';
import { prepareSocket, prepareStaging, publishSocket, removeSocket } from './prepare-socket.js';
import { InstanceLimit } from './instance-registry.js';
import { PubSubService } from './pubsub-service.js';
import { StateService } from './state-service.js';
import { withTolerantDeserialize } from './tolerant-deserialize.js';
import type { ComponentMetrics } from '../metrics/component-metrics.js';
import { notReady, READY, type ReadinessCheck } from '../metrics/readiness.js';

export interface ComponentServerOptions {
  readonly socketFolder: string;
  readonly socketName: string;
  /** The process logger: the server logs under `block: grpc`, the services under `pubsub` and `state` (one `block` key per line). */
  readonly logger: Logger;
  /** How long close() lets calls finish before cutting them (default 5 s). */
  readonly drainTimeoutMs?: number;
  /** Where the instances record their metrics (default: nowhere). */
  readonly metrics?: ComponentMetrics;
  /** `MAX_STREAMS`: PullMessages streams open at once (default: no limit). */
  readonly maxStreams?: number;
  /** `MAX_INSTANCES`: pub/sub and state instances together (default: no limit). */
  readonly maxInstances?: number;
}

export interface ComponentServer {
  readonly socketPath: string;
  /**
   * Ready while the socket is bound and every initialized instance (pub/sub and state) has its
   * broker link up; the reasons name each instance that is not. Not ready once close() began.
   */
  readiness(): ReadinessCheck;
  close(): Promise<void>;
}

/** Daprd may send big requests (bulk publish); its own client caps responses at 4 MiB. */
const MAX_RECEIVE_BYTES = 64 * 1024 * 1024;

/** The reflection services' own protos, shipped inside @grpc/reflection. */
function loadReflectionProtos(): ReturnType<typeof loadSync> {
  const dir = join(dirname(createRequire(import.meta.url).resolve('@grpc/reflection')), '..', 'proto');
  return loadSync(['grpc/reflection/v1alpha/reflection.proto', 'grpc/reflection/v1/reflection.proto'], { includeDirs: [dir] });
}

/** Binds the Unix socket daprd discovers and serves PubSub, the state store services and gRPC reflection on it. */
export async function startComponentServer(options: ComponentServerOptions): Promise<ComponentServer> {
  const logger = options.logger.child({ block: 'grpc' });
  const socketPath = await prepareSocket(options.socketFolder, options.socketName);
  const served = loadSync([PUBSUB_PROTO, STATE_PROTO], LOADER_OPTIONS);
  const instances = new InstanceLimit(options.maxInstances ?? Number.MAX_SAFE_INTEGER);
  const pubsub = new PubSubService(options.logger.child({ block: 'pubsub' }), socketPath, options.metrics, { maxStreams: options.maxStreams, instances });
  const state = new StateService(options.logger.child({ block: 'state' }), socketPath, options.metrics, instances);

  const server = new Server({
    'grpc.max_receive_message_length': MAX_RECEIVE_BYTES,
    // Channelz keeps per-call counters and traces for an admin API we do not serve: CPU on every call.
    'grpc.enable_channelz': 0,
  });
  server.addService(withTolerantDeserialize(served['dapr.proto.components.v1.PubSub'] as ServiceDefinition), pubsub.handlers());
  state.addTo(server, served);
  // Reflection is given exactly what is served: our services and its own two.
  new ReflectionService({ ...served, ...loadReflectionProtos() }).addToServer(server);

  const staging = await prepareStaging(socketPath);
  await new Promise<void>((resolve, reject) => {
    server.bindAsync(`unix:${staging}`, ServerCredentials.createInsecure(), (err) => {
      if (err) reject(new ComponentError('ERR_SOCKET_BIND', `cannot listen on ${socketPath}: ${err.message}`, { cause: err }));
      else resolve();
    });
  });
  await publishSocket(staging, socketPath);
  logger.info({ socketPath }, 'component listening');

  let closing: Promise<void> | undefined;
  return {
    socketPath,
    readiness() {
      if (closing) return notReady('the component is shutting down');
      const reasons: string[] = [];
      for (const [instance, c] of pubsub.registry.entries()) {
        if (!c.connected) reasons.push(`pubsub instance "${instance}" is not connected to broker ${c.config.connection.displayAddress}`);
      }
      for (const [instance, c] of state.registry.entries()) {
        if (!c.connected) reasons.push(`state instance "${instance}" is not connected to broker ${c.config.connection.displayAddress}`);
      }
      for (const registry of [pubsub.registry, state.registry]) {
        for (const instance of registry.orphans) {
          reasons.push(`daprd calls ${registry.block} instance "${instance}", which this process never initialized: it restarted under a running daprd; restart daprd`);
        }
      }
      return reasons.length === 0 ? READY : notReady(...reasons);
    },
    close() {
      closing ??= (async () => {
        // Stop accepting, end the streams (daprd never reopens them; it is going away too),
        // let in-flight publishes finish, then close the broker connections.
        pubsub.endStreams();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            server.forceShutdown();
            resolve();
          }, options.drainTimeoutMs ?? 5000);
          server.tryShutdown(() => {
            clearTimeout(timer);
            resolve();
          });
        });
        await Promise.all([pubsub.close(), state.close()]);
        await removeSocket(socketPath);
        logger.info({ socketPath }, 'component stopped');
      })();
      return closing;
    },
  };
}
