import type { Aedes } from 'aedes';
import type { Logger } from '../logging/logger.js';
import { remoteAddressOf } from './limit-connections.js';

/**
 * CONNACK refusals our hooks make (2 identifier rejected, 3 server unavailable, 4 bad user name
 * or password, 5 not authorized) were logged by the hook, with its reason: Aedes' own
 * `clientError` for them goes to debug, so each refusal is one warn line.
 */
const refusedByHook = (err: Error): boolean => [2, 3, 4, 5].includes((err as { errorCode?: number }).errorCode ?? 0);

/**
 * Connects and disconnects at debug, failures at warn. Only ids, remote addresses and error
 * messages are logged: never payloads or passwords (an ACL refusal names its known user).
 */
export function logBrokerEvents(aedes: Aedes, logger: Logger): void {
  aedes.on('client', (client) => {
    logger.debug({ clientId: client.id, cleanSession: client.clean, protocolVersion: client.version }, 'client connected');
  });
  aedes.on('clientDisconnect', (client) => {
    logger.debug({ clientId: client.id }, 'client disconnected');
  });
  aedes.on('keepaliveTimeout', (client) => {
    logger.debug({ clientId: client.id }, 'client keepalive timeout');
  });
  aedes.on('clientError', (client, err) => {
    logger[refusedByHook(err) ? 'debug' : 'warn']({ clientId: client.id, error: err.message }, 'client error');
  });
  aedes.on('connectionError', (client, err) => {
    logger.warn({ remote: remoteAddressOf(client), error: err.message }, 'connection error before CONNECT completed');
  });
  // Aedes emits 'error' for persistence failures it cannot pin on a client; without a
  // listener the EventEmitter would throw and end the process.
  (aedes as unknown as NodeJS.EventEmitter).on('error', (err: Error) => {
    logger.warn({ error: err.message }, 'broker error');
  });
}
