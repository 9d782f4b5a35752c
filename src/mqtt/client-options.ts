import type { IClientOptions } from 'mqtt';
import type { ConnectionConfig } from '../config/connection-config.js';

/** MQTT.js options for one connection; the only place connection settings become client options. */
export function toClientOptions(conn: ConnectionConfig, clientId: string, clean: boolean): IClientOptions {
  const options: IClientOptions = {
    protocol: conn.transport,
    host: conn.host,
    hostname: conn.host,
    port: conn.port,
    clientId,
    clean,
    keepalive: conn.keepAliveSec,
    connectTimeout: conn.connectTimeoutMs,
    protocolVersion: 4,
    reconnectPeriod: 1000,
    // Our own code decides when to resubscribe (MQTT.js resubscribes when the session is not present).
    resubscribe: true,
    // QoS 0 while offline is not queued: Publish waits for the link itself and fails with UNAVAILABLE.
    queueQoSZero: false,
    rejectUnauthorized: true,
  };
  if (conn.path !== undefined) options.path = conn.path;
  if (conn.username !== undefined) options.username = conn.username;
  if (conn.password !== undefined) options.password = conn.password;
  if (conn.ca !== undefined) options.ca = conn.ca;
  if (conn.cert !== undefined) options.cert = conn.cert;
  if (conn.key !== undefined) options.key = conn.key;
  if (conn.transport === 'wss' || conn.transport === 'mqtts') {
    // Hostname verification: MQTT.js sets servername for names; for IPs Node checks the IP SANs.
    options.wsOptions = { rejectUnauthorized: true, ...(conn.ca ? { ca: conn.ca } : {}), ...(conn.cert ? { cert: conn.cert, key: conn.key } : {}) };
  }
  return options;
}
