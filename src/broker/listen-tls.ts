import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createSecureContext, createServer, type TLSSocket, type TlsOptions } from 'node:tls';
import type { Logger } from '../logging/logger.js';
import { ComponentError } from '../errors/component-error.js';
import { listenServer, type TcpListener } from './listen-tcp.js';

/** PEM files of the broker's TLS listeners (mqtts and wss). */
export interface BrokerTlsFiles {
  /** Server certificate chain (PEM): `MQTT_BROKER_TLS_CERT`. */
  readonly certFile: string;
  /** Its private key (PEM, unencrypted): `MQTT_BROKER_TLS_KEY`. */
  readonly keyFile: string;
  /** CA(s) client certificates must chain to; given, every TLS client must present one (`MQTT_BROKER_TLS_CA`). */
  readonly caFile?: string | undefined;
}

/** How long a TLS client may take to finish its handshake before its socket is dropped. */
const HANDSHAKE_TIMEOUT_MS = 10_000;

async function readPem(path: string, variable: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ComponentError('ERR_BROKER_START', `cannot read ${variable} ${path} (${code})`, { field: variable, cause: err });
  }
}

/** OpenSSL's reason (e.g. "no start line", "key values mismatch"); never file content. */
function opensslReason(err: unknown): string {
  const message = (err as Error).message ?? String(err);
  return message.replace(/^error:[0-9A-F]+:/i, '').slice(0, 160);
}

/**
 * Reads the certificate, key and CA files and checks that they make a TLS server context
 * (a bad PEM or a key that does not match the certificate stops startup, naming the variable).
 */
export async function loadTlsOptions(files: BrokerTlsFiles): Promise<TlsOptions> {
  const cert = await readPem(files.certFile, 'MQTT_BROKER_TLS_CERT');
  const key = await readPem(files.keyFile, 'MQTT_BROKER_TLS_KEY');
  const ca = files.caFile !== undefined ? await readPem(files.caFile, 'MQTT_BROKER_TLS_CA') : undefined;
  const mutual = ca !== undefined;
  const options: TlsOptions = {
    cert,
    key,
    ...(mutual ? { ca } : {}),
    requestCert: mutual,
    rejectUnauthorized: mutual,
    minVersion: 'TLSv1.2',
    handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
  };
  try {
    createSecureContext({ cert });
  } catch (err) {
    throw new ComponentError('ERR_BROKER_START', `MQTT_BROKER_TLS_CERT ${files.certFile} is not a usable PEM certificate (${opensslReason(err)})`, {
      field: 'MQTT_BROKER_TLS_CERT',
    });
  }
  if (mutual) {
    try {
      // createSecureContext ignores a CA file without certificates: parse each one.
      const blocks = ca.toString('utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
      if (blocks.length === 0) throw new Error('no certificate in it');
      for (const block of blocks) new X509Certificate(block);
      createSecureContext({ ca });
    } catch (err) {
      throw new ComponentError('ERR_BROKER_START', `MQTT_BROKER_TLS_CA ${files.caFile} is not a usable PEM certificate (${opensslReason(err)})`, {
        field: 'MQTT_BROKER_TLS_CA',
      });
    }
  }
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    throw new ComponentError(
      'ERR_BROKER_START',
      `MQTT_BROKER_TLS_KEY ${files.keyFile} is not a usable PEM private key for MQTT_BROKER_TLS_CERT (${opensslReason(err)})`,
      { field: 'MQTT_BROKER_TLS_KEY' },
    );
  }
  return options;
}

/** Counts failed TLS handshakes and logs them at debug (scanners make many). */
export function logTlsClientErrors(server: { on(event: 'tlsClientError', listener: (err: Error, socket: TLSSocket) => void): unknown }, logger: Logger, listener: string): void {
  server.on('tlsClientError', (err, socket) => {
    logger.debug({ listener, remote: socket.remoteAddress, error: opensslReason(err) }, 'TLS handshake failed');
  });
}

/** mqtts: a TLS server that hands each verified connection to `handle`. */
export async function listenTls(handle: (socket: TLSSocket) => void, tlsOptions: TlsOptions, port: number, host: string, logger: Logger): Promise<TcpListener> {
  const server = createServer(tlsOptions, handle);
  logTlsClientErrors(server, logger, 'MQTT_BROKER_TLS_PORT');
  return listenServer(server, port, host, 'MQTT_BROKER_TLS_PORT', logger);
}
