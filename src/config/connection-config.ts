import { createSecureContext } from 'node:tls';
import { ComponentError } from '../errors/component-error.js';
import {
  CredentialFileError,
  checkPemFile,
  checkToken,
  readCredentialFile,
  type CredentialFileField,
  type CredentialPaths,
} from './credential-files.js';
import type { MetadataReader } from './read-metadata.js';
import { parseBrokerUrls, type BrokerAddress, type Transport } from './broker-urls.js';

export type { Transport } from './broker-urls.js';

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
  /**
   * Credentials by path (`satTokenPath`, `caCertPath`, `clientCertPath`, `clientKeyPath`):
   * `ca`, `cert`, `key` and `satToken` hold what the files said at Init; every connection reads
   * them again before each (re)connect and when they change (src/mqtt/credential-files.ts).
   * Undefined when no such field is given.
   */
  readonly credentialFiles: CredentialPaths | undefined;
  /** The Kubernetes service-account token of `satTokenPath` at Init (Azure IoT Operations' K8S-SAT login). */
  readonly satToken: string | undefined;
  readonly keepAliveSec: number;
  readonly connectTimeoutMs: number;
  /** MQTT protocol level: 4 (3.1.1) or 5. */
  readonly protocolVersion: 4 | 5;
  /** The `clientId` metadata, when given. */
  readonly clientId: string | undefined;
  /** Host and port only (of every broker in the list): safe to log. */
  readonly displayAddress: string;
  /**
   * Every broker of `url` in order (one, or the nodes of a cluster); the first is also
   * `transport`/`host`/`port`/`path`. Each failed (re)connect moves to the next (src/mqtt/server-list.ts).
   */
  readonly servers: readonly BrokerAddress[];
}

export function parseConnectionConfig(r: MetadataReader): ConnectionConfig {
  const urls = parseBrokerUrls(r.string('url') as string);
  const first = urls.servers[0] as BrokerAddress;
  const isTls = urls.tls;
  const files = parseCredentialPaths(r);
  if (files.satTokenPath !== undefined) {
    // The token is the login: a user name or password as well would be ambiguous.
    for (const field of ['username', 'password'] as const) {
      if (r.raw(field) !== undefined) {
        throw new ComponentError('ERR_CONFIG_INVALID', `metadata field "${field}" cannot be combined with "satTokenPath" (the service-account token is the login)`, { field });
      }
    }
    if (urls.username !== undefined || urls.password !== undefined) {
      throw new ComponentError('ERR_CONFIG_INVALID', 'metadata field "url" carries credentials, which cannot be combined with "satTokenPath" (the service-account token is the login)', { field: 'url' });
    }
  }
  const ca = r.pem('caCert', 'certificate') ?? fromFile(files, 'caCertPath', (text, path) => checkPemFile('caCertPath', text, path, 'certificate'));
  const cert = r.pem('clientCert', 'certificate') ?? fromFile(files, 'clientCertPath', (text, path) => checkPemFile('clientCertPath', text, path, 'certificate'));
  const key = r.pem('clientKey', 'key') ?? fromFile(files, 'clientKeyPath', (text, path) => checkPemFile('clientKeyPath', text, path, 'key'));
  const satToken = fromFile(files, 'satTokenPath', checkToken);
  const tlsFields = [
    ['caCert', ca],
    ['clientCert', cert],
    ['clientKey', key],
  ] as const;
  for (const [name, value] of tlsFields) {
    if (value !== undefined && !isTls) {
      const field = files[`${name}Path`] !== undefined ? `${name}Path` : name;
      throw new ComponentError('ERR_CONFIG_INVALID', `metadata field "${field}" needs a TLS url scheme (tcps, ssl, mqtts, tls or wss)`, { field });
    }
  }
  const certField = files.clientCertPath !== undefined ? 'clientCertPath' : 'clientCert';
  const keyField = files.clientKeyPath !== undefined ? 'clientKeyPath' : 'clientKey';
  if ((cert === undefined) !== (key === undefined)) {
    const missing = cert === undefined ? (keyField === 'clientKeyPath' ? 'clientCertPath' : 'clientCert') : certField === 'clientCertPath' ? 'clientKeyPath' : 'clientKey';
    throw new ComponentError('ERR_CONFIG_REQUIRED', `metadata field "${missing}" is required when the other half of the client key pair is set`, { field: missing });
  }
  if (cert !== undefined && key !== undefined) {
    try {
      createSecureContext({ cert, key });
    } catch (err) {
      throw new ComponentError('ERR_CONFIG_INVALID', `metadata field "${keyField}" does not belong to "${certField}": ${(err as Error).message}`, { field: keyField, cause: err });
    }
  }
  return Object.freeze({
    transport: first.transport,
    host: first.host,
    port: first.port,
    path: first.path,
    username: r.string('username') ?? urls.username,
    password: r.string('password') ?? urls.password,
    ca,
    cert,
    key,
    credentialFiles: Object.keys(files).length === 0 ? undefined : files,
    satToken,
    keepAliveSec: r.integer('keepAlive', 1, 65535),
    connectTimeoutMs: r.durationMs('connectTimeout', 100, 600_000),
    protocolVersion: r.integer('protocolVersion', 4, 5) as 4 | 5,
    clientId: r.string('clientId'),
    displayAddress: urls.servers.map((s) => s.displayAddress).join(','),
    servers: urls.servers,
  });
}

const FILE_FIELDS: readonly CredentialFileField[] = ['satTokenPath', 'caCertPath', 'clientCertPath', 'clientKeyPath'];

/** The `*Path` fields given; a PEM given both inline and by path is refused. */
function parseCredentialPaths(r: MetadataReader): CredentialPaths {
  const files: Partial<Record<CredentialFileField, string>> = {};
  for (const field of FILE_FIELDS) {
    const path = r.string(field);
    if (path !== undefined) files[field] = path;
  }
  for (const inline of ['caCert', 'clientCert', 'clientKey'] as const) {
    if (r.raw(inline) !== undefined && files[`${inline}Path`] !== undefined) {
      throw new ComponentError('ERR_CONFIG_INVALID', `metadata fields "${inline}" and "${inline}Path" are both set: give the PEM inline or by path, not both`, {
        field: `${inline}Path`,
      });
    }
  }
  return Object.freeze(files);
}

/** Reads and checks one credential file at Init; the error names the field and the path, never the content. */
function fromFile(files: CredentialPaths, field: CredentialFileField, check: (text: string, path: string) => string): string | undefined {
  const path = files[field];
  if (path === undefined) return undefined;
  try {
    return check(readCredentialFile(field, path), path);
  } catch (err) {
    const why = err instanceof CredentialFileError ? err.message : `${path}: ${(err as Error).message}`;
    throw new ComponentError('ERR_CONFIG_INVALID', `metadata field "${field}": ${why}`, { field, cause: err });
  }
}
