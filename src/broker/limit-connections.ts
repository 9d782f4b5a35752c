import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Aedes, AuthenticateError, Client } from 'aedes';
import type { Logger } from '../logging/logger.js';
import { guardPacketSize } from './guard-packet-size.js';

export interface ConnectionLimits {
  /** Connections open at once over every listener; one more gets CONNACK 3 (server unavailable). */
  readonly maxConnections: number;
  /** Largest MQTT packet, fixed header included; a larger one ends the connection. */
  readonly maxPacketSize: number;
}

/** A connection over the limit gets this long to send CONNECT and read the refusal. */
const REFUSED_LINGER_MS = 5_000;
/** Refused connections waiting for their CONNECT beyond this many are dropped at once. */
const MAX_LINGERING_REFUSED = 100;
/** At most one log line per this interval about refused connections. */
const REFUSAL_LOG_INTERVAL_MS = 10_000;

export type ConnectionHandler = (conn: Duplex, req?: IncomingMessage) => void;

/** Remote addresses, kept from the moment of connection (a destroyed socket no longer knows it). */
const remotes = new WeakMap<object, string>();

/** Where a connection comes from, for log lines (TCP/TLS socket, or a WebSocket's request). */
export function remoteAddressOf(client: Client): string | undefined {
  const conn = client.conn as Duplex & { remoteAddress?: string };
  return remotes.get(conn) ?? conn.remoteAddress ?? client.req?.socket?.remoteAddress;
}

/**
 * The one entry point of every listener (TCP, TLS, ws, wss) into Aedes: counts open connections,
 * refuses those beyond `maxConnections` with CONNACK 3 (Server unavailable) [MQTT-3.2.2-6] and
 * guards every connection's packet sizes. Wraps `aedes.authenticate`: install it after
 * whatever sets the authentication (the refusal comes first, without checking a password).
 */
export function limitConnections(aedes: Aedes, limits: ConnectionLimits, logger: Logger): ConnectionHandler {
  let open = 0;
  const refused = new WeakSet<object>();
  let lingering = 0;
  let refusedSinceLog = 0;
  let lastLogAt = 0;

  const noteRefusal = (): void => {
    refusedSinceLog += 1;
    const now = Date.now();
    if (now - lastLogAt < REFUSAL_LOG_INTERVAL_MS) return;
    logger.warn(
      { maxConnections: limits.maxConnections, refused: refusedSinceLog },
      'connection refused: MQTT_BROKER_MAX_CONNECTIONS reached (server unavailable)',
    );
    lastLogAt = now;
    refusedSinceLog = 0;
  };

  const authenticate = aedes.authenticate;
  aedes.authenticate = (client, username, password, done) => {
    if (refused.has(client.conn)) {
      const err = new Error('server unavailable: too many connections') as AuthenticateError;
      (err as { returnCode: number }).returnCode = 3; // AuthErrorCode.SERVER_UNAVAILABLE
      done(err, null);
      return;
    }
    authenticate.call(aedes, client, username, password, done);
  };

  return (conn, req) => {
    const remote = (conn as Duplex & { remoteAddress?: string }).remoteAddress ?? req?.socket.remoteAddress;
    if (remote !== undefined) remotes.set(conn, remote);
    if (aedes.closed) {
      conn.destroy();
      return;
    }
    if (open >= limits.maxConnections) {
      noteRefusal();
      if (lingering >= MAX_LINGERING_REFUSED) {
        conn.destroy();
        return;
      }
      lingering += 1;
      refused.add(conn);
      const timer = setTimeout(() => conn.destroy(), REFUSED_LINGER_MS);
      timer.unref();
      conn.once('close', () => {
        clearTimeout(timer);
        lingering -= 1;
      });
    } else {
      open += 1;
      conn.once('close', () => (open -= 1));
    }
    const client = aedes.handle(conn, req);
    try {
      guardPacketSize(client, limits.maxPacketSize);
    } catch (err) {
      logger.error({ error: (err as Error).message }, 'cannot guard packet sizes: connection dropped');
      conn.destroy();
    }
  };
}
