import type { IClientOptions } from 'mqtt';
import type { ConnectionConfig } from '../config/connection-config.js';
import { SAT_AUTHENTICATION, type CredentialValues } from '../config/credential-files.js';

/** Session Expiry Interval of a session that never expires (MQTT 5 §3.1.2.11.2). */
const NEVER_EXPIRES = 0xffff_ffff;

/**
 * MQTT.js options for one connection; the only place connection settings become client options.
 * `clean` is Clean Session (3.1.1) or Clean Start (5). With MQTT 5 the session lasts
 * `sessionExpirySec` after a disconnect; by default as 3.1.1 would: 0 when clean, else for ever.
 */
export function toClientOptions(
  conn: ConnectionConfig,
  clientId: string,
  clean: boolean,
  sessionExpirySec?: number,
  credentials: CredentialValues = initialCredentials(conn),
): IClientOptions {
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
    // Replaced before every reconnect by the link's backoff with jitter (src/mqtt/mqttjs-link.ts).
    reconnectPeriod: 1000,
    // We subscribe once, on the first link up; after a reconnect MQTT.js subscribes again by
    // itself, and only when the broker kept no session (so a resumed session gets no retained replay).
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
  applyCredentials(options, conn, credentials);
  return options;
}

/** What the connection config holds: the inline PEMs, or the files' contents at Init. */
export function initialCredentials(conn: ConnectionConfig): CredentialValues {
  return { token: conn.satToken, ca: conn.ca, cert: conn.cert, key: conn.key };
}

/**
 * Puts the token and the TLS material into `options`. MQTT.js reads `client.options` again on
 * every reconnect (CONNECT packet, tls.connect, WebSocket options), so this is also how a
 * reloaded file reaches the next connection (src/mqtt/mqttjs-link.ts reads the files before each).
 *
 * Azure IoT Operations' service-account-token login: with MQTT 3.1.1 user `K8S-SAT` and the
 * token as password; with MQTT 5 enhanced authentication, method `K8S-SAT` and the token as
 * authentication data [MQTT-3.1.2.11.9, 3.1.2.11.10].
 */
export function applyCredentials(options: IClientOptions, conn: ConnectionConfig, credentials: CredentialValues): void {
  const { token, ca, cert, key } = credentials;
  if (token !== undefined) {
    if (conn.protocolVersion === 5) {
      options.properties = { ...options.properties, authenticationMethod: SAT_AUTHENTICATION, authenticationData: Buffer.from(token, 'utf8') };
    } else {
      options.username = SAT_AUTHENTICATION;
      options.password = token;
    }
  }
  if (ca !== undefined) options.ca = ca;
  if (cert !== undefined) options.cert = cert;
  if (key !== undefined) options.key = key;
  if (conn.transport === 'wss' || conn.transport === 'mqtts') {
    // Hostname verification: MQTT.js sets servername for names; for IPs Node checks the IP SANs.
    options.wsOptions = { rejectUnauthorized: true, ...(ca ? { ca } : {}), ...(cert ? { cert, key } : {}) };
  }
}
