import type { MqttClient } from 'mqtt';
import { ComponentError } from '../errors/component-error.js';
import type { ConnectionConfig } from '../config/connection-config.js';

/** Connections closed without a CONNACK and without a socket error before Init calls it a refusal. */
export const SILENT_CLOSES_FOR_REFUSAL = 2;

/**
 * Some brokers without MQTT 5 answer an MQTT 5 CONNECT by closing the connection, with no
 * CONNACK and no socket error (RabbitMQ 3.x): retried, that is an endless reconnect and, at
 * Init, a retriable UNAVAILABLE. With `protocolVersion` 5, a connection that closes that way
 * `SILENT_CLOSES_FOR_REFUSAL` times in a row before any CONNACK calls `refuse` with a
 * FAILED_PRECONDITION naming `protocolVersion`. Returns the function that stops watching.
 */
export function watchSilentMqtt5Refusal(client: MqttClient, conn: ConnectionConfig, refuse: (err: ComponentError) => void): () => void {
  if (conn.protocolVersion !== 5) return () => undefined;
  let socketError = false;
  let silent = 0;
  const onError = (err: Error & { code?: unknown }): void => {
    if (typeof err.code === 'string') socketError = true;
  };
  const onClose = (): void => {
    if (socketError) silent = 0;
    else silent += 1;
    socketError = false;
    if (silent >= SILENT_CLOSES_FOR_REFUSAL) {
      refuse(
        new ComponentError(
          'ERR_BROKER_PROTOCOL_UNSUPPORTED',
          `the broker does not support MQTT 5: ${conn.displayAddress} closed the connection ${silent} times on an MQTT 5 CONNECT without answering; set protocolVersion to 4`,
          { field: 'protocolVersion' },
        ),
      );
    }
  };
  client.on('error', onError);
  client.on('close', onClose);
  return () => {
    client.off('error', onError);
    client.off('close', onClose);
  };
}
