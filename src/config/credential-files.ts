import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { checkPem } from './check-pem.js';

/**
 * Credentials given as files (`satTokenPath`, `caCertPath`, `clientCertPath`, `clientKeyPath`):
 * read and checked at Init, and again by the connection before every (re)connect and when they
 * change (src/mqtt/credential-files.ts). Errors say which field and why, never the content.
 */
export type CredentialFileField = 'satTokenPath' | 'caCertPath' | 'clientCertPath' | 'clientKeyPath';

export type CredentialPaths = Readonly<Partial<Record<CredentialFileField, string>>>;

/** What a connection logs in with; each is undefined when not configured. */
export interface CredentialValues {
  /** Kubernetes service-account token (trimmed). */
  readonly token: string | undefined;
  readonly ca: string | undefined;
  readonly cert: string | undefined;
  readonly key: string | undefined;
}

/** MQTT 3.1.1 user name and MQTT 5 authentication method of Azure IoT Operations' SAT authentication. */
export const SAT_AUTHENTICATION = 'K8S-SAT';

/** A PEM file or a token larger than this is not one. */
const MAX_FILE_BYTES = 1024 * 1024;
/** MQTT password and authentication data are at most 65,535 bytes [MQTT-1.5.6]. */
const MAX_TOKEN_BYTES = 65_535;

/** Why a credential file cannot be used; `field` names the metadata key. */
export class CredentialFileError extends Error {
  constructor(
    readonly field: CredentialFileField,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CredentialFileError';
  }
}

/**
 * The file's text. Synchronous on purpose: the files are small, and the connection reads them
 * inside MQTT.js's 'reconnect' event, just before it builds the CONNECT packet.
 */
export function readCredentialFile(field: CredentialFileField, path: string): string {
  let fd: number | undefined;
  try {
    // Non-blocking: a FIFO or a device must not stall the process; only regular files are read.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new CredentialFileError(field, `${path} is not a regular file`);
    const { size } = stats;
    if (size > MAX_FILE_BYTES) throw new CredentialFileError(field, `${path} is ${size} bytes, more than a credential file holds (${MAX_FILE_BYTES})`);
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read).toString('utf8');
  } catch (err) {
    if (err instanceof CredentialFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new CredentialFileError(field, `${path} cannot be read (${code ?? (err as Error).message})`, { cause: err });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The token in a `satTokenPath` file's text: trimmed, not empty, fits an MQTT password. */
export function checkToken(text: string, path: string): string {
  const token = text.trim();
  if (token === '') throw new CredentialFileError('satTokenPath', `${path} is empty`);
  if (Buffer.byteLength(token) > MAX_TOKEN_BYTES) throw new CredentialFileError('satTokenPath', `${path} holds more than ${MAX_TOKEN_BYTES} bytes (an MQTT password's limit)`);
  return token;
}

/** A PEM file's text checked by parsing it. */
export function checkPemFile(field: CredentialFileField, text: string, path: string, kind: 'certificate' | 'key'): string {
  try {
    return checkPem(text, kind);
  } catch (err) {
    throw new CredentialFileError(field, `${path} is not a valid PEM ${kind}: ${(err as Error).message}`, { cause: err });
  }
}

/** The client certificate and key must belong together; Node says why not (never quoting them). `field`: the file to blame. */
export function checkKeyPair(cert: string, key: string, field: CredentialFileField = 'clientKeyPath'): void {
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    throw new CredentialFileError(field, `the client key does not belong to the client certificate: ${(err as Error).message}`, { cause: err });
  }
}
