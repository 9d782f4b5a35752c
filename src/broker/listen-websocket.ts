import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TlsOptions } from 'node:tls';
import type { Duplex } from 'node:stream';
import { WebSocketServer, createWebSocketStream } from 'ws';
import type { Logger } from '../logging/logger.js';
import { listenServer, type TcpListener } from './listen-tcp.js';
import { logTlsClientErrors } from './listen-tls.js';

/** The path MQTT over WebSocket is served on (what MQTT.js and most clients use by default). */
export const WEBSOCKET_PATH = '/mqtt';

export interface WebSocketListenerOptions {
  port: number;
  host: string;
  /** wss:// with these options; ws:// without. */
  tls?: TlsOptions | undefined;
  /** Largest WebSocket message accepted (the MQTT packet size limit is checked on the MQTT stream). */
  maxPayload: number;
  logger: Logger;
}

/**
 * MQTT over WebSocket (ws://, or wss:// with `tls`): upgrades only on {@link WEBSOCKET_PATH};
 * any other request gets 404. Each WebSocket becomes a byte stream handed to `handle`
 * with its HTTP request (Aedes keeps it as `client.req`).
 */
export async function listenWebSocket(handle: (stream: Duplex, req: IncomingMessage) => void, options: WebSocketListenerOptions): Promise<TcpListener> {
  const variable = options.tls ? 'MQTT_BROKER_WSS_PORT' : 'MQTT_BROKER_WS_PORT';
  const server = options.tls ? createHttpsServer(options.tls) : createHttpServer();
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(404).end();
  });
  if (options.tls) logTlsClientErrors(server as unknown as Parameters<typeof logTlsClientErrors>[0], options.logger, variable);
  const wss = new WebSocketServer({ server, path: WEBSOCKET_PATH, maxPayload: options.maxPayload, perMessageDeflate: false });
  wss.on('connection', (ws, req) => {
    const stream = createWebSocketStream(ws);
    // A WebSocket that fails (bad frame, too large) ends its stream; Aedes sees the close.
    stream.on('error', () => stream.destroy());
    handle(stream, req);
  });
  wss.on('error', (err) => options.logger.warn({ error: err.message, listener: variable }, 'websocket listener error'));
  const listener = await listenServer(server, options.port, options.host, variable, options.logger);
  return {
    port: listener.port,
    listening: listener.listening,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await listener.close();
    },
  };
}
