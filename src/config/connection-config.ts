import { createSecureContext } from 'node:tls';
import { ComponentError } from '../errors/component-error.js';
import type { MetadataReader } from './read-metadata.js';

export type Transport = 'mqtt' | 'mqtts' | 'ws' | 'wss';

/** How to reach the broker; secrets live only here and in the MQTT client options. */
export interface ConnectionConfig {
  readonly transport: Transport;
  readonly host: string;
  readonly port: number;
  /** WebSocket path, e.g. `/mqtt`; undefined for TCP transports. */
  readonly path: string | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly ca: string | undefined;
  readonly cert: string | undefined;
  readonly key: string | undefined;
  readonly keepAliveSec: number;
  readonly connectTimeoutMs: number;
  /** MQTT protocol level: 4 (3.1.1) or 5. */
  readonly protocolVersion: 4 | 5;
  /** The `clientId` metadata, when given. */
  readonly clientId: string | undefined;
  /** Host and port only: safe to log. */
  readonly displayAddress: string;
}

const SCHEMES: Record<string, { transport: Transport; port: number }> = {
  'tcp:': { transport: 'mqtt', port: 1883 },
  'mqtt:': { transport: 'mqtt', port: 1883 },
  'tcps:': { transport: 'mqtts', port: 8883 },
  'ssl:': { transport: 'mqtts', port: 8883 },
  'mqtts:': { transport: 'mqtts', port: 8883 },
  'tls:': { transport: 'mqtts', port: 8883 },
  'ws:': { transport: 'ws', port: 80 },
  'wss:': { transport: 'wss', port: 443 },
};

function decode(part: string, key: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new ComponentError('ERR_CONFIG_INVALID', `metadata field "url" has a badly percent-encoded ${key}`, { field: 'url' });
  }
}

export function parseConnectionConfig(r: MetadataReader): ConnectionConfig {
  const urlText = r.string('url') as string;
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    throw new ComponentError('ERR_CONFIG_INVALID', 'metadata field "url" is not a valid URL (expected e.g. tcp://host:1883)', { field: 'url' });
  }
  const scheme = SCHEMES[url.protocol];
  if (!scheme) {
    throw new ComponentError(
      'ERR_CONFIG_INVALID',
      `metadata field "url" has unsupported scheme "${url.protocol.replace(/:$/, '')}" (use tcp, mqtt, tcps, ssl, mqtts, tls, ws or wss)`,
      { field: 'url' },
    );
  }
  if (url.hostname === '') {
    throw new ComponentError('ERR_CONFIG_INVALID', 'metadata field "url" has no host', { field: 'url' });
  }
  const isWs = scheme.transport === 'ws' || scheme.transport === 'wss';
  const isTls = scheme.transport === 'mqtts' || scheme.transport === 'wss';
  const ca = r.pem('caCert', 'certificate');
  const cert = r.pem('clientCert', 'certificate');
  const key = r.pem('clientKey', 'key');
  for (const [name, value] of [['caCert', ca], ['clientCert', cert], ['clientKey', key]] as const) {
    if (value !== undefined && !isTls) {
      throw new ComponentError('ERR_CONFIG_INVALID', `metadata field "${name}" needs a TLS url scheme (tcps, ssl, mqtts, tls or wss)`, { field: name });
    }
  }
  if ((cert === undefined) !== (key === undefined)) {
    const missing = cert === undefined ? 'clientCert' : 'clientKey';
    throw new ComponentError('ERR_CONFIG_REQUIRED', `metadata field "${missing}" is required when the other half of the client key pair is set`, { field: missing });
  }
  if (cert !== undefined && key !== undefined) {
    try {
      createSecureContext({ cert, key });
    } catch (err) {
      throw new ComponentError('ERR_CONFIG_INVALID', `metadata field "clientKey" does not belong to "clientCert": ${(err as Error).message}`, { field: 'clientKey', cause: err });
    }
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? scheme.port : Number(url.port);
  return Object.freeze({
    transport: scheme.transport,
    host,
    port,
    path: isWs ? (url.pathname === '/' || url.pathname === '' ? '/mqtt' : url.pathname) + url.search : undefined,
    username: r.string('username') ?? (url.username === '' ? undefined : decode(url.username, 'user name')),
    password: r.string('password') ?? (url.password === '' ? undefined : decode(url.password, 'password')),
    ca,
    cert,
    key,
    keepAliveSec: r.integer('keepAlive', 1, 65535),
    connectTimeoutMs: r.durationMs('connectTimeout', 100, 600_000),
    protocolVersion: r.integer('protocolVersion', 4, 5) as 4 | 5,
    clientId: r.string('clientId'),
    displayAddress: `${url.protocol}//${url.host}${isWs ? url.pathname : ''}`,
  });
}
