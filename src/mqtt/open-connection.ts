import mqtt, { type MqttClient } from 'mqtt';
import type { ConnectionConfig } from '../config/connection-config.js';
import type { Logger } from '../logging/logger.js';
import { ComponentError } from '../errors/component-error.js';
import { toClientOptions } from './client-options.js';
import { keepCredentialsFresh, openCredentialFiles } from './credential-files.js';
import { applyReconnectBackoff } from './reconnect-backoff.js';
import { rotateServers } from './server-list.js';
import { watchSilentMqtt5Refusal } from './silent-refusal.js';

const RECONNECT = { initialMs: 500, maxMs: 15_000 };

/** Errors that retrying will not fix: the broker said no, or its certificate is not trusted. */
function isRejection(err: Error & { code?: unknown }): boolean {
  const code = err.code;
  // CONNACK: bad credentials / not authorized / (MQTT 5) authentication method not supported
  if (code === 4 || code === 5 || code === 134 || code === 135 || code === 140) return true;
  return typeof code === 'string' && (code.startsWith('ERR_TLS_') || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code));
}

export interface Connection {
  readonly client: MqttClient;
  /** Last link error, for Ping and logs (no secrets: MQTT.js errors carry none). */
  lastError(): Error | undefined;
  close(): Promise<void>;
}

/**
 * Opens one MQTT connection that reconnects by itself with bounded backoff and jitter.
 * `onReconnect` is called each time the link is back after a loss (not for the first connect).
 * `sessionExpirySec` (MQTT 5): how long the broker keeps the session after a disconnect
 * (default: 0 when `clean`, else never expires).
 */
export function openConnection(
  conn: ConnectionConfig,
  clientId: string,
  clean: boolean,
  logger: Logger,
  onReconnect?: () => void,
  sessionExpirySec?: number,
): Connection {
  // Token and certificate files: read now, again before every reconnect, and when they change.
  const files = openCredentialFiles(conn, logger);
  const client = mqtt.connect(toClientOptions(conn, clientId, clean, sessionExpirySec, files?.refresh()));
  if (files) keepCredentialsFresh(client, conn, files, logger);
  applyReconnectBackoff(client, RECONNECT);
  // Several brokers in `url` (a cluster): every closed connection moves on to the next one.
  const servers = rotateServers(client, conn.servers);
  let lastError: Error | undefined;
  let closed: Promise<void> | undefined;
  let connects = 0;
  client.on('error', (err) => {
    lastError = err;
    logger.warn({ clientId, broker: servers.current().displayAddress, error: err.message }, 'mqtt link error');
  });
  client.on('connect', (connack) => {
    // No Nagle: small request/ack packets must not wait for the broker's delayed ACK.
    (client.stream as { setNoDelay?: (on: boolean) => unknown } | undefined)?.setNoDelay?.(true);
    lastError = undefined;
    logger.debug({ clientId, broker: servers.current().displayAddress, sessionPresent: connack.sessionPresent }, 'mqtt connected');
    if (connects++ > 0) onReconnect?.();
  });
  // The rotation already moved on: `next` is where the next attempt goes.
  client.on('offline', () => logger.info({ clientId, next: servers.current().displayAddress }, 'mqtt link down, reconnecting'));
  return {
    client,
    lastError: () => lastError,
    close() {
      files?.close();
      closed ??= new Promise<void>((resolve) => client.end(true, {}, () => resolve()));
      return closed;
    },
  };
}

/** Resolves on the first CONNACK; rejects at once on a rejection, or after `timeoutMs`. */
export function waitForFirstConnect(connection: Connection, conn: ConnectionConfig, timeoutMs: number): Promise<void> {
  const { client } = connection;
  if (client.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: ComponentError): void => {
      clearTimeout(timer);
      client.off('connect', onConnect);
      client.off('error', onError);
      stopWatching();
      if (err) reject(err);
      else resolve();
    };
    const onConnect = (): void => done();
    const onError = (err: Error & { code?: unknown }): void => {
      // CONNACK 0x01 (3.1.1) / 0x84 (5): the protocol level was refused, e.g. MQTT 5 by Aedes.
      if (conn.protocolVersion === 5 && (err.code === 1 || err.code === 0x84)) {
        done(
          new ComponentError(
            'ERR_BROKER_PROTOCOL_UNSUPPORTED',
            `the broker does not support MQTT 5: ${conn.displayAddress} refused protocolVersion 5 (${err.message}); set protocolVersion to 4 (the bundled broker speaks MQTT 3.1.1 only)`,
            { field: 'protocolVersion', cause: err },
          ),
        );
      } else if (isRejection(err)) {
        done(new ComponentError('ERR_BROKER_REJECTED', `broker ${conn.displayAddress} rejected the connection: ${err.message}`, { field: 'url', cause: err }));
      }
    };
    const timer = setTimeout(() => {
      const cause = connection.lastError();
      done(
        new ComponentError(
          'ERR_BROKER_UNREACHABLE',
          `could not connect to broker ${conn.displayAddress} within ${timeoutMs} ms${cause ? `: ${cause.message}` : ''}`,
          { field: 'url', cause },
        ),
      );
    }, timeoutMs);
    client.on('connect', onConnect);
    client.on('error', onError);
    // An MQTT 5 CONNECT closed without a CONNACK, again and again: the broker has no MQTT 5.
    const stopWatching = watchSilentMqtt5Refusal(client, conn, (err) => done(err));
  });
}
