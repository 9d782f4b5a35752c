import type { TlsOptions } from 'node:tls';
import type { Logger } from '../logging/logger.js';
import type { ConnectionHandler } from './limit-connections.js';
import { listenTcp, type TcpListener } from './listen-tcp.js';
import { listenTls } from './listen-tls.js';
import { listenWebSocket } from './listen-websocket.js';

/** The bound ports (the real ones when 0 was asked); absent: no such listener. */
export interface BrokerPorts {
  readonly mqtt: number;
  readonly mqtts?: number;
  readonly ws?: number;
  readonly wss?: number;
}

export interface ListenerOptions {
  readonly host: string;
  readonly port: number;
  readonly tlsPort?: number | undefined;
  readonly wsPort?: number | undefined;
  readonly wssPort?: number | undefined;
  /** Needed for `tlsPort` and `wssPort`. */
  readonly tlsOptions?: TlsOptions | undefined;
  /** Largest WebSocket message (the MQTT packet limit). */
  readonly maxPacketSize: number;
  readonly logger: Logger;
}

export interface BrokerListeners {
  readonly ports: BrokerPorts;
  /** Whether every listener still accepts connections. */
  listening(): boolean;
  /** Stops every listener and drops the connections still open; idempotent. */
  close(): Promise<void>;
}

/**
 * MQTT on TCP, and when asked mqtts (TLS), ws and wss (path /mqtt), all on one host and all
 * handing their connections to `handle`. A listener that cannot bind closes those already bound.
 */
export async function startListeners(handle: ConnectionHandler, options: ListenerOptions): Promise<BrokerListeners> {
  const { host, logger, tlsOptions } = options;
  const opened: TcpListener[] = [];
  const closeAll = async (): Promise<void> => {
    await Promise.all(opened.splice(0).map((l) => l.close()));
  };
  const open = async (start: () => Promise<TcpListener>): Promise<number> => {
    const listener = await start();
    opened.push(listener);
    return listener.port;
  };
  try {
    const mqtt = await open(() => listenTcp(handle, options.port, host, logger));
    const ports: { -readonly [K in keyof BrokerPorts]: BrokerPorts[K] } = { mqtt };
    if (options.tlsPort !== undefined && tlsOptions) {
      const port = options.tlsPort;
      ports.mqtts = await open(() => listenTls(handle, tlsOptions, port, host, logger));
    }
    if (options.wsPort !== undefined) {
      const port = options.wsPort;
      ports.ws = await open(() => listenWebSocket(handle, { port, host, maxPayload: options.maxPacketSize, logger }));
    }
    if (options.wssPort !== undefined && tlsOptions) {
      const port = options.wssPort;
      ports.wss = await open(() => listenWebSocket(handle, { port, host, tls: tlsOptions, maxPayload: options.maxPacketSize, logger }));
    }
    let closing: Promise<void> | undefined;
    return { ports: Object.freeze(ports), listening: () => opened.length > 0 && opened.every((l) => l.listening()), close: () => (closing ??= closeAll()) };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
