import { ComponentError } from '../errors/component-error.js';

export type Transport = 'mqtt' | 'mqtts' | 'ws' | 'wss';

/** One broker of the `url` list: where to connect and how. */
export interface BrokerAddress {
  readonly transport: Transport;
  readonly host: string;
  readonly port: number;
  /** WebSocket path, e.g. `/mqtt`; undefined for TCP transports. */
  readonly path: string | undefined;
  /** Scheme, host and port (and ws path) only: safe to log. */
  readonly displayAddress: string;
}

/** The parsed `url`: one or more brokers (cluster nodes), tried in order, and the login they share. */
export interface BrokerUrls {
  readonly servers: readonly BrokerAddress[];
  readonly tls: boolean;
  /** Percent-decoded `user:password@` of the url(s); every entry that carries one carries the same. */
  readonly username: string | undefined;
  readonly password: string | undefined;
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

/** At most this many brokers in one `url`. */
export const MAX_BROKER_URLS = 32;

export function isTlsTransport(transport: Transport): boolean {
  return transport === 'mqtts' || transport === 'wss';
}

function invalid(message: string): ComponentError {
  return new ComponentError('ERR_CONFIG_INVALID', `metadata field "url" ${message}`, { field: 'url' });
}

function decode(part: string, what: string, which: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw invalid(`has a badly percent-encoded ${what}${which}`);
  }
}

/**
 * Parses `url`: one broker URL, or several separated by commas (the nodes of a cluster), each
 * checked by the same rules. All must be TLS or none (one set of TLS settings serves them all),
 * and credentials in them must agree. Errors name `url`, never a credential.
 */
export function parseBrokerUrls(text: string): BrokerUrls {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length > MAX_BROKER_URLS) throw invalid(`lists ${parts.length} brokers; at most ${MAX_BROKER_URLS}`);
  const servers: BrokerAddress[] = [];
  let login: { username: string; password: string } | undefined;
  for (const [i, part] of parts.entries()) {
    const which = parts.length > 1 ? ` (entry ${i + 1} of ${parts.length})` : '';
    if (part === '') throw invalid(`has an empty entry${which}: separate broker URLs with single commas`);
    let url: URL;
    try {
      url = new URL(part);
    } catch {
      throw invalid(`is not a valid URL${which} (expected e.g. tcp://host:1883, or several separated by commas)`);
    }
    const scheme = SCHEMES[url.protocol];
    if (!scheme) {
      throw invalid(`has unsupported scheme "${url.protocol.replace(/:$/, '')}"${which} (use tcp, mqtt, tcps, ssl, mqtts, tls, ws or wss)`);
    }
    if (url.hostname === '') throw invalid(`has no host${which}`);
    const isWs = scheme.transport === 'ws' || scheme.transport === 'wss';
    if (url.username !== '' || url.password !== '') {
      const here = { username: decode(url.username, 'user name', which), password: decode(url.password, 'password', which) };
      if (login && (login.username !== here.username || login.password !== here.password)) {
        throw invalid(`carries different credentials in different entries${which}: give a single login (or use the username and password fields)`);
      }
      login = here;
    }
    servers.push(
      Object.freeze({
        transport: scheme.transport,
        host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port === '' ? scheme.port : Number(url.port),
        path: isWs ? (url.pathname === '/' || url.pathname === '' ? '/mqtt' : url.pathname) + url.search : undefined,
        displayAddress: `${url.protocol}//${url.host}${isWs ? url.pathname : ''}`,
      }),
    );
  }
  const tls = isTlsTransport(servers[0]!.transport);
  if (servers.some((s) => isTlsTransport(s.transport) !== tls)) {
    throw invalid('mixes TLS and plain brokers: every entry must use a TLS scheme (tcps, ssl, mqtts, tls, wss) or none');
  }
  return Object.freeze({
    servers: Object.freeze(servers),
    tls,
    username: login?.username === '' ? undefined : login?.username,
    password: login?.password === '' ? undefined : login?.password,
  });
}
