import { chmod } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Server, ServerCredentials, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import type { Logger } from '../logging/logger.js';
import { ComponentError } from '../errors/component-error.js';
import { LOADER_OPTIONS, PUBSUB_PROTO, STATE_PROTO } from './proto-loader-options.js';
import { prepareSocket, removeSocket } from './prepare-socket.js';
import { PubSubService } from './pubsub-service.js';
import { StateService } from './state-service.js';

export interface ComponentServerOptions {
  readonly socketFolder: string;
  readonly socketName: string;
  readonly logger: Logger;
  /** How long close() lets calls finish before cutting them (default 5 s). */
  readonly drainTimeoutMs?: number;
}

export interface ComponentServer {
  readonly socketPath: string;
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
  const { logger } = options;
  const socketPath = await prepareSocket(options.socketFolder, options.socketName);
  const served = loadSync([PUBSUB_PROTO, STATE_PROTO], LOADER_OPTIONS);
  const pubsub = new PubSubService(logger.child({ block: 'pubsub' }), socketPath);
  const state = new StateService(logger.child({ block: 'state' }), socketPath);

  const server = new Server({ 'grpc.max_receive_message_length': MAX_RECEIVE_BYTES });
  server.addService(served['dapr.proto.components.v1.PubSub'] as ServiceDefinition, pubsub.handlers());
  state.addTo(server, served);
  // Reflection is given exactly what is served: our services and its own two.
  new ReflectionService({ ...served, ...loadReflectionProtos() }).addToServer(server);

  await new Promise<void>((resolve, reject) => {
    server.bindAsync(`unix:${socketPath}`, ServerCredentials.createInsecure(), (err) => {
      if (err) reject(new ComponentError('ERR_SOCKET_BIND', `cannot listen on ${socketPath}: ${err.message}`, { cause: err }));
      else resolve();
    });
  });
  // daprd often runs as another user.
  await chmod(socketPath, 0o666);
  logger.info({ socketPath }, 'component listening');

  let closing: Promise<void> | undefined;
  return {
    socketPath,
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
