import type { Aedes } from 'aedes';
import type { Logger } from '../logging/logger.js';

/**
 * Connects and disconnects at debug, failures at warn. Only ids and error messages are
 * logged: never payloads, usernames or passwords.
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
    logger.warn({ clientId: client.id, error: err.message }, 'client error');
  });
  aedes.on('connectionError', (_client, err) => {
    logger.warn({ error: err.message }, 'connection error before CONNECT completed');
  });
  // Aedes emits 'error' for persistence failures it cannot pin on a client; without a
  // listener the EventEmitter would throw and end the process.
  (aedes as unknown as NodeJS.EventEmitter).on('error', (err: Error) => {
    logger.warn({ error: err.message }, 'broker error');
  });
}
