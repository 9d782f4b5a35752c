/**
 * Extra listeners for an in-process Aedes broker (the bundled broker's `aedes`): the broker is
 * not bound to a transport, so each listener hands its connections to `aedes.handle`.
 *   startTlsListener  mqtts over TLS; `requestCert` turns on mutual TLS
 *   startWsListener   MQTT over WebSocket (ws://, or wss:// with `tls`) on one path
 * Every listener binds 127.0.0.1 on an ephemeral port and has an idempotent `close()` that
 * also drops the connections it accepted.
 *   startTransportBench  the bundled broker and the component server, in-process, to hang
 *                        such listeners on.
 */
import { listenLoopback } from './listen-loopback.js';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { Aedes } from 'aedes';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { startBroker, type Broker } from '../../src/broker/start-broker.js';
import { startComponentServer, type ComponentServer } from '../../src/grpc/start-component-server.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { connectPubSub, type PubSubConnection } from './daprd-harness.js';

export interface ExtraListener {
  port: number;
  /** Full URL to give the component, e.g. `mqtts://localhost:1234` or `ws://127.0.0.1:1234/mqtt`. */
  url: string;
  /** TLS handshakes the listener refused (mutual TLS without a trusted client cert, ...). */
  readonly tlsErrors: readonly Error[];
  /** MQTT connections handed to the broker through this listener so far. */
  readonly handedToBroker: number;
  /** Common names of the verified client certificates seen (mutual TLS). */
  readonly clientCertCNs: readonly string[];
  close(): Promise<void>;
}

export interface TlsMaterial {
  cert: string;
  key: string;
  /** CA(s) that client certificates must chain to (mutual TLS). */
  ca?: string;
}

export interface TlsListenerOptions extends TlsMaterial {
  /** Ask for a client certificate and refuse clients without a trusted one. */
  requestCert?: boolean;
  /** Host name put in `url` (default `localhost`, the server certificate's name). */
  urlHost?: string;
}

export interface WsListenerOptions {
  /** Default `/mqtt`. */
  path?: string;
  /** Serve wss:// with this certificate. */
  tls?: TlsMaterial;
  /** Host name put in `url` (default 127.0.0.1 for ws, localhost for wss). */
  urlHost?: string;
}

type Listening = net.Server;

const listen = (server: Listening): Promise<number> => listenLoopback(server);

/** Tracks sockets so close() does not wait for clients that never leave. */
function trackSockets(server: Listening, connectionEvent: string): Set<Duplex> {
  const sockets = new Set<Duplex>();
  server.on(connectionEvent, (socket: Duplex) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

function closer(server: Listening, sockets: Set<Duplex>, before?: () => void): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= new Promise<void>((resolve) => {
      before?.();
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
    return closing;
  };
}

/** mqtts:// listener; with `requestCert` only clients with a certificate from `ca` get in. */
export async function startTlsListener(aedes: Aedes, options: TlsListenerOptions): Promise<ExtraListener> {
  const tlsErrors: Error[] = [];
  const clientCertCNs: string[] = [];
  let handed = 0;
  const requestCert = options.requestCert ?? false;
  const server = tls.createServer(
    {
      key: options.key,
      cert: options.cert,
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
      requestCert,
      rejectUnauthorized: requestCert,
    },
    (socket) => {
      if (requestCert && socket.authorized) {
        const cn = socket.getPeerCertificate().subject?.CN;
        clientCertCNs.push(Array.isArray(cn) ? cn.join(',') : (cn ?? ''));
      }
      handed += 1;
      aedes.handle(socket);
    },
  );
  server.on('tlsClientError', (err) => tlsErrors.push(err));
  // Raw TCP sockets, so close() also drops half-done handshakes.
  const sockets = trackSockets(server, 'connection');
  const port = await listen(server);
  return {
    port,
    url: `mqtts://${options.urlHost ?? 'localhost'}:${port}`,
    tlsErrors,
    get handedToBroker() {
      return handed;
    },
    clientCertCNs,
    close: closer(server, sockets),
  };
}

/** ws:// (or wss:// with `tls`) listener; upgrades only on `path`. */
export async function startWsListener(aedes: Aedes, options: WsListenerOptions = {}): Promise<ExtraListener> {
  const wsPath = options.path ?? '/mqtt';
  const tlsErrors: Error[] = [];
  let handed = 0;
  const server: http.Server | https.Server =
    options.tls !== undefined
      ? https.createServer({ key: options.tls.key, cert: options.tls.cert, ...(options.tls.ca !== undefined ? { ca: options.tls.ca } : {}) })
      : http.createServer();
  // Anything that is not a WebSocket upgrade on the path gets a plain 404.
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(404).end();
  });
  if (options.tls !== undefined) server.on('tlsClientError', (err: Error) => tlsErrors.push(err));
  const sockets = trackSockets(server, 'connection');
  const wss = new WebSocketServer({ server, path: wsPath });
  wss.on('connection', (ws, req) => {
    const stream = createWebSocketStream(ws);
    // A client that vanishes makes the stream error; Aedes sees the close.
    stream.on('error', () => stream.destroy());
    handed += 1;
    aedes.handle(stream, req);
  });
  const port = await listen(server);
  const scheme = options.tls !== undefined ? 'wss' : 'ws';
  const host = options.urlHost ?? (options.tls !== undefined ? 'localhost' : '127.0.0.1');
  return {
    port,
    url: `${scheme}://${host}:${port}${wsPath}`,
    tlsErrors,
    get handedToBroker() {
      return handed;
    },
    clientCertCNs: [],
    close: closer(server, sockets, () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
    }),
  };
}

export interface TransportBench {
  /** The bundled broker (in-process, port 0, temp data dir); add listeners to `broker.aedes`. */
  readonly broker: Broker;
  readonly socketPath: string;
  /** A daprd-like connection as a new component instance; closed by `close()`. */
  connect(instance?: string): PubSubConnection;
  /** Closes connections, listeners registered with `track`, the component, the broker; removes temp dirs. */
  close(): Promise<void>;
  /** Registers something for `close()` (closed in reverse order, before the component). */
  track<T extends { close(): Promise<void> }>(closable: T): T;
}

/** Bundled broker + component server (in-process) for transport tests. */
export async function startTransportBench(): Promise<TransportBench> {
  const logger = createSilentLogger();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'dmq-tb-'));
  const socketFolder = await mkdtemp(path.join(tmpdir(), 'dmq-ts-'));
  const tracked: Array<{ close(): Promise<void> }> = [];
  const connections: PubSubConnection[] = [];
  let broker: Broker | undefined;
  let server: ComponentServer | undefined;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await Promise.allSettled(connections.map((c) => c.close()));
      for (const c of tracked.splice(0).reverse()) await c.close().catch(() => undefined);
      await server?.close();
      await broker?.close();
      await rm(dataDir, { recursive: true, force: true });
      await rm(socketFolder, { recursive: true, force: true });
    })());
  try {
    broker = await startBroker({ port: 0, host: '127.0.0.1', dataDir, logger });
    server = await startComponentServer({ socketFolder, socketName: 'mqtt-transport', logger });
  } catch (err) {
    await close();
    throw err;
  }
  const started = { broker, server };
  return {
    broker: started.broker,
    socketPath: started.server.socketPath,
    connect(instance) {
      const c = connectPubSub(started.server.socketPath, instance ?? `inst-${randomBytes(4).toString('hex')}`);
      connections.push(c);
      return c;
    },
    track(closable) {
      tracked.push(closable);
      return closable;
    },
    close,
  };
}
