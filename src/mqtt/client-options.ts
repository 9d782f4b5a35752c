import type { IClientOptions } from 'mqtt';
import type { ConnectionConfig } from '../config/connection-config.js';

/** Session Expiry Interval of a session that never expires (MQTT 5 §3.1.2.11.2). */
const NEVER_EXPIRES = 0xffff_ffff;

/**
 * MQTT.js options for one connection; the only place connection settings become client options.
 * `clean` is Clean Session (3.1.1) or Clean Start (5). With MQTT 5 the session lasts
 * `sessionExpirySec` after a disconnect; by default as 3.1.1 would: 0 when clean, else for ever.
 */
export function toClientOptions(conn: ConnectionConfig, clientId: string, clean: boolean, sessionExpirySec?: number): IClientOptions {
  const options: IClientOptions = {
    protocol: conn.transport,
    host: conn.host,
    hostname: conn.host,
    port: conn.port,
    clientId,
    clean,
    keepalive: conn.keepAliveSec,
    connectTimeout: conn.connectTimeoutMs,
    protocolVersion: conn.protocolVersion,
    reconnectPeriod: 1000,
    // Our own code decides when to resubscribe (MQTT.js resubscribes when the session is not present).
    resubscribe: true,
    // QoS 0 while offline is not queued: Publish waits for the link itself and fails with UNAVAILABLE.
    queueQoSZero: false,
    rejectUnauthorized: true,
  };
  if (conn.protocolVersion === 5) {
    options.properties = { sessionExpiryInterval: sessionExpirySec ?? (clean ? 0 : NEVER_EXPIRES) };
  }
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
