import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { Logger } from '../logging/logger.js';
import { ComponentError } from '../errors/component-error.js';

export interface TcpListener {
  /** The bound port (the real one when 0 was asked). */
  readonly port: number;
  /** Stops accepting, destroys the connections still open and waits until they are gone. */
  close(): Promise<void>;
}

function listenError(err: NodeJS.ErrnoException, port: number, host: string): ComponentError {
  if (err.code === 'EADDRINUSE') {
    return new ComponentError(
      'ERR_BROKER_PORT_IN_USE',
      `port ${port} on ${host} is in use: set MQTT_BROKER_PORT to a free port, or MQTT_BROKER=off to use an external broker`,
      { field: 'MQTT_BROKER_PORT', cause: err },
    );
  }
  return new ComponentError(
    'ERR_BROKER_START',
    `cannot listen on ${host}:${port} (${err.code ?? err.message}): check MQTT_BROKER_HOST and MQTT_BROKER_PORT`,
    { field: 'MQTT_BROKER_PORT', cause: err },
  );
}

/** A plain TCP server that hands each connection to `handle`; the broker is not bound to it. */
export function listenTcp(handle: (socket: Socket) => void, port: number, host: string, logger: Logger): Promise<TcpListener> {
  const sockets = new Set<Socket>();
  // No Nagle: a PUBACK followed by a small reply on the same socket would otherwise wait for the
  // peer's delayed ACK (40 ms per request/reply round trip on Linux).
  const server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    handle(socket);
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    }));

  return new Promise<TcpListener>((resolve, reject) => {
    const onStartError = (err: NodeJS.ErrnoException): void => reject(listenError(err, port, host));
    server.once('error', onStartError);
    server.listen({ port, host }, () => {
      server.off('error', onStartError);
      server.on('error', (err) => logger.warn({ error: err.message }, 'broker listener error'));
      resolve({ port: (server.address() as AddressInfo).port, close });
    });
  });
}
