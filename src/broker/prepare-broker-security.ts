import type { TlsOptions } from 'node:tls';
import { BROKER_LIMIT_DEFAULTS } from '../config/env.js';
import { ComponentError } from '../errors/component-error.js';
import { loadTlsOptions, type BrokerTlsFiles } from './listen-tls.js';
import { resolveAnonymousAccess } from './resolve-anonymous-access.js';
import { loadUsersFile, type UsersTable } from './users-file.js';

export interface BrokerLimits {
  /** Largest MQTT packet in bytes, fixed header included (`MQTT_BROKER_MAX_PACKET_SIZE`). */
  readonly maxPacketSize: number;
  /** Most levels in a topic or filter, 1-100 (`MQTT_BROKER_MAX_TOPIC_LEVELS`). */
  readonly maxTopicLevels: number;
  /** Inbound QoS 1 and QoS 2 messages per client not acknowledged yet (`MQTT_BROKER_MAX_INFLIGHT`). */
  readonly maxInflight: number;
  /** Connections open at once, all listeners together (`MQTT_BROKER_MAX_CONNECTIONS`). */
  readonly maxConnections: number;
}

/** Who may connect, the extra listeners and the limits: docs/security.md. */
export interface BrokerSecurityOptions {
  /** Users file (JSON, scrypt hashes, topic patterns); given, every client logs in. */
  readonly usersFile?: string | undefined;
  /** Clients without credentials. Default: allowed only on a loopback host and without a users file. */
  readonly allowAnonymous?: boolean | undefined;
  /** PEM files of the TLS listeners (mqtts, wss). */
  readonly tls?: BrokerTlsFiles | undefined;
  /** mqtts port (needs `tls`); 0 picks a free one; absent: no mqtts listener. */
  readonly tlsPort?: number | undefined;
  /** ws:// port (path /mqtt); absent: none. */
  readonly wsPort?: number | undefined;
  /** wss:// port (path /mqtt, needs `tls`); absent: none. */
  readonly wssPort?: number | undefined;
  readonly limits?: Partial<BrokerLimits> | undefined;
}

export interface PreparedSecurity {
  /** The users to check logins against; undefined: anonymous access. */
  readonly users: UsersTable | undefined;
  readonly tlsOptions: TlsOptions | undefined;
  readonly limits: BrokerLimits;
}

/**
 * Everything the security settings need that can fail, before the broker opens anything:
 * the anonymous-access decision, the users file, the TLS files. Throws one-line errors that
 * name the variable to change.
 */
export async function prepareBrokerSecurity(host: string, options: BrokerSecurityOptions): Promise<PreparedSecurity> {
  const anonymous = resolveAnonymousAccess(host, options.usersFile, options.allowAnonymous);
  const needsTls = options.tlsPort !== undefined || options.wssPort !== undefined;
  if (needsTls && options.tls === undefined) {
    throw new ComponentError('ERR_CONFIG_INVALID', 'the mqtts and wss listeners need MQTT_BROKER_TLS_CERT and MQTT_BROKER_TLS_KEY', {
      field: 'MQTT_BROKER_TLS_CERT',
    });
  }
  const users = anonymous || options.usersFile === undefined ? undefined : await loadUsersFile(options.usersFile);
  const tlsOptions = needsTls && options.tls ? await loadTlsOptions(options.tls) : undefined;
  return {
    users,
    tlsOptions,
    limits: Object.freeze({ ...BROKER_LIMIT_DEFAULTS, ...definedOnly(options.limits ?? {}) }),
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
