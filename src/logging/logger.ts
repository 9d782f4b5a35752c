import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line, wherever they appear in a logged object. */
export const REDACTED_KEYS = [
  'password',
  'passphrase',
  'token',
  'clientKey',
  'caCert',
  'clientCert',
  'key',
  'cert',
  'ca',
  'url',
  'properties',
  'metadata',
  'authorization',
] as const;

const redactPaths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

export interface LoggerOptions {
  level?: string;
  /** Where lines go; stdout when absent. Tests pass a stream to read the log sink. */
  destination?: DestinationStream;
}

/** The root pino logger: JSON lines, secrets redacted; blocks take `logger.child({ block })`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { svc: 'mqtt-pluggable' },
      redact: { paths: redactPaths, censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}

/** A logger that writes nothing (tests that do not read logs). */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
