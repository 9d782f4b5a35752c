import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Logger } from '../logging/logger.js';
import { ComponentError } from '../errors/component-error.js';

export interface TcpListener {
  /** The bound port (the real one when 0 was asked). */
  readonly port: number;
  /** Still accepting connections (false once closed, or if the server stopped on an error). */
  listening(): boolean;
  /** Stops accepting, destroys the connections still open and waits until they are gone. */
  close(): Promise<void>;
}

function listenError(err: NodeJS.ErrnoException, port: number, host: string, variable: string): ComponentError {
  if (err.code === 'EADDRINUSE') {
    const alternative = variable === 'MQTT_BROKER_PORT' ? ', or MQTT_BROKER=off to use an external broker' : '';
    return new ComponentError(
      'ERR_BROKER_PORT_IN_USE',
      `port ${port} on ${host} is in use: set ${variable} to a free port${alternative}`,
      { field: variable, cause: err },
    );
  }
  return new ComponentError(
    'ERR_BROKER_START',
    `cannot listen on ${host}:${port} (${err.code ?? err.message}): check MQTT_BROKER_HOST and ${variable}`,
    { field: variable, cause: err },
  );
}

/**
 * Binds `server` (net, tls, http or https) and tracks its raw sockets, so `close()` also ends
 * connections that never completed a handshake or CONNECT. `variable` is the setting an
 * operator changes when the port is taken.
 */
export function listenServer(server: Server, port: number, host: string, variable: string, logger: Logger): Promise<TcpListener> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    // No Nagle: a PUBACK followed by a small reply on the same socket would otherwise wait for
    // the peer's delayed ACK (40 ms per request/reply round trip on Linux).
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    }));

  return new Promise<TcpListener>((resolve, reject) => {
    const onStartError = (err: NodeJS.ErrnoException): void => reject(listenError(err, port, host, variable));
    server.once('error', onStartError);
    server.listen({ port, host }, () => {
      server.off('error', onStartError);
      server.on('error', (err) => logger.warn({ error: err.message, listener: variable }, 'broker listener error'));
      resolve({ port: (server.address() as AddressInfo).port, listening: () => server.listening, close });
    });
  });
}

/** A plain TCP server that hands each connection to `handle`; the broker is not bound to it. */
export function listenTcp(handle: (socket: Socket) => void, port: number, host: string, logger: Logger, variable = 'MQTT_BROKER_PORT'): Promise<TcpListener> {
  return listenServer(createServer(handle), port, host, variable, logger);
}
