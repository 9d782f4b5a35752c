/**
 * Every environment variable the program reads, declared once: its name, default, allowed values
 * or range, who reads it and what it means. `parseEnvVariables` reads the environment from this
 * list (src/config/env.ts builds the typed settings from the result), and docs/configuration.md's
 * environment table is generated from it (`npm run docs:tables`, checked by test/docs).
 */
import { ComponentError } from '../errors/component-error.js';

/** Which entry point reads a variable (`node dist/src/main.js [mode]`). */
export type EnvMode = 'component' | 'broker' | 'state-service';

interface EnvVariableBase {
  /** Entry points that read it; a broker variable is read by `component` too when it runs the bundled broker. */
  readonly modes: readonly EnvMode[];
  /** What it does, in one or two sentences (Markdown). */
  readonly meaning: string;
  /** Default applied when unset or blank (as written in the environment). */
  readonly default?: string;
  /** The docs' default cell when the default is not a plain value (it depends on other variables). */
  readonly defaultNote?: string;
}

/** Free text, trimmed; `pattern` (with `patternText` saying it in words) when restricted. */
export interface TextVariable extends EnvVariableBase {
  readonly kind: 'text';
  readonly pattern?: RegExp;
  readonly patternText?: string;
  /** Read when this variable is unset (before the default). */
  readonly fallback?: string;
}
/** A secret: not trimmed, never echoed in an error. */
export interface SecretVariable extends EnvVariableBase {
  readonly kind: 'secret';
}
/** One of `allowed`, case-insensitive (stored lower case). */
export interface ChoiceVariable extends EnvVariableBase {
  readonly kind: 'choice';
  readonly allowed: readonly string[];
}
/** A whole number in [min, max]. */
export interface IntegerVariable extends EnvVariableBase {
  readonly kind: 'integer';
  readonly min: number;
  readonly max: number;
}
/** A TCP port 0-65535; with `allowOff`, also `off`. */
export interface PortVariable extends EnvVariableBase {
  readonly kind: 'port';
  readonly allowOff?: boolean;
}
export interface BooleanVariable extends EnvVariableBase {
  readonly kind: 'boolean';
}

export type EnvVariable = TextVariable | SecretVariable | ChoiceVariable | IntegerVariable | PortVariable | BooleanVariable;

export const DEFAULT_SOCKET_FOLDER = '/tmp/dapr-components-sockets';
export const DEFAULT_SOCKET_NAME = 'mqtt-pluggable';

/** Defaults of the component's own bounds (`MAX_STREAMS`, `MAX_INSTANCES`). */
export const COMPONENT_LIMIT_DEFAULTS = Object.freeze({
  /** One subscription per stream, each with its own MQTT connection and up to maxBufferedMessages held. */
  maxStreams: 1024,
  maxInstances: 256,
});

/** Defaults of the bundled broker's limits. */
export const BROKER_LIMIT_DEFAULTS = Object.freeze({
  /** 16 MiB: four times what daprd sends by default (4 MiB), far below MQTT's 256 MiB. */
  maxPacketSize: 16 * 1024 * 1024,
  /** Aedes' default and ceiling (its topic matcher takes at most 100 levels). */
  maxTopicLevels: 100,
  /** The component's own default cap (`maxInflightPublishes`) fits. */
  maxInflight: 1024,
  maxConnections: 1000,
});

export const DEFAULT_TLS_PORT = 8883;

const ALL: readonly EnvMode[] = ['component', 'broker', 'state-service'];
const BROKER: readonly EnvMode[] = ['component', 'broker'];
const COMPONENT: readonly EnvMode[] = ['component'];
const STATE_SERVICE: readonly EnvMode[] = ['state-service'];
const TOPIC_LEVEL = { pattern: /^[A-Za-z0-9._:@-]+$/, patternText: "letters, digits, '.', '_', ':', '@' or '-'" } as const;

export const ENV_VARIABLES = {
  DAPR_COMPONENTS_SOCKETS_FOLDER: {
    kind: 'text',
    modes: COMPONENT,
    default: DEFAULT_SOCKET_FOLDER,
    fallback: 'DAPR_COMPONENT_SOCKETS_FOLDER',
    meaning: 'Folder of the Unix socket daprd discovers (daprd reads the same variable).',
  },
  DAPR_COMPONENT_SOCKETS_FOLDER: {
    kind: 'text',
    modes: COMPONENT,
    meaning: 'Read when `DAPR_COMPONENTS_SOCKETS_FOLDER` is unset: the Kubernetes sidecar injector sets this one.',
  },
  MQTT_SOCKET_NAME: {
    kind: 'text',
    modes: COMPONENT,
    default: DEFAULT_SOCKET_NAME,
    pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    patternText: "letters, digits, '.', '_' or '-'",
    meaning: 'Socket file `<name>.sock`; the Dapr component types become `pubsub.<name>` and `state.<name>`.',
  },
  MQTT_BROKER: {
    kind: 'choice',
    modes: COMPONENT,
    default: 'embedded',
    allowed: ['embedded', 'off'],
    meaning: '`embedded` runs the bundled broker in the component\'s process; `off` runs the component alone, against the broker in its Component\'s `url`.',
  },
  MQTT_BROKER_PORT: {
    kind: 'port',
    modes: BROKER,
    default: '1883',
    meaning: 'Bundled broker port; a port in use stops startup with one line saying what to change.',
  },
  MQTT_BROKER_HOST: {
    kind: 'text',
    modes: BROKER,
    default: '127.0.0.1',
    meaning: 'Bundled broker listen address, for all its listeners (`0.0.0.0` in containers; a non-loopback address needs `MQTT_BROKER_USERS_FILE` or `MQTT_BROKER_ALLOW_ANONYMOUS=true`).',
  },
  MQTT_BROKER_DATA: {
    kind: 'text',
    modes: BROKER,
    default: './data',
    meaning: 'Bundled broker data folder (LevelDB: retained messages, sessions, queued messages; the embedded state service\'s data in `<dir>/state`).',
  },
  MQTT_BROKER_USERS_FILE: {
    kind: 'text',
    modes: BROKER,
    meaning: 'Users file (JSON: scrypt hashes and topic patterns, see [security](security.md#users-file)): every client must log in. Also the file `add-user` writes.',
  },
  MQTT_BROKER_ALLOW_ANONYMOUS: {
    kind: 'boolean',
    modes: BROKER,
    defaultNote: 'allowed on a loopback host only',
    meaning: '`true`: clients connect without a password on any address (local development only; not with a users file); `false`: a users file is required.',
  },
  MQTT_BROKER_TLS_CERT: {
    kind: 'text',
    modes: BROKER,
    meaning: 'PEM certificate chain of the broker\'s TLS listeners (with `MQTT_BROKER_TLS_KEY`: both or neither).',
  },
  MQTT_BROKER_TLS_KEY: {
    kind: 'text',
    modes: BROKER,
    meaning: 'PEM private key of `MQTT_BROKER_TLS_CERT`.',
  },
  MQTT_BROKER_TLS_CA: {
    kind: 'text',
    modes: BROKER,
    meaning: 'PEM CA(s): TLS clients must present a certificate from it (mutual TLS on mqtts and wss). Needs the TLS files.',
  },
  MQTT_BROKER_TLS_PORT: {
    kind: 'port',
    modes: BROKER,
    allowOff: true,
    defaultNote: `\`${DEFAULT_TLS_PORT}\` when the TLS files are set`,
    meaning: 'mqtts port; `off`: none (wss only). Needs the TLS files.',
  },
  MQTT_BROKER_WS_PORT: {
    kind: 'port',
    modes: BROKER,
    defaultNote: 'off',
    meaning: 'MQTT over WebSocket, `ws://<host>:<port>/mqtt`.',
  },
  MQTT_BROKER_WSS_PORT: {
    kind: 'port',
    modes: BROKER,
    defaultNote: 'off',
    meaning: 'MQTT over secure WebSocket, `wss://<host>:<port>/mqtt` (needs the TLS files).',
  },
  MQTT_BROKER_MAX_PACKET_SIZE: {
    kind: 'integer',
    modes: BROKER,
    default: String(BROKER_LIMIT_DEFAULTS.maxPacketSize),
    min: 64,
    max: 268_435_460,
    meaning: 'Largest MQTT packet in bytes; 64 KiB before CONNECT completes, whatever the setting.',
  },
  MQTT_BROKER_MAX_TOPIC_LEVELS: {
    kind: 'integer',
    modes: BROKER,
    default: String(BROKER_LIMIT_DEFAULTS.maxTopicLevels),
    min: 1,
    max: 100,
    meaning: 'Most levels in a topic or filter.',
  },
  MQTT_BROKER_MAX_INFLIGHT: {
    kind: 'integer',
    modes: BROKER,
    default: String(BROKER_LIMIT_DEFAULTS.maxInflight),
    min: 1,
    max: 65_535,
    meaning: 'Inbound QoS 1/2 messages per client not yet acknowledged; one more ends the connection.',
  },
  MQTT_BROKER_MAX_CONNECTIONS: {
    kind: 'integer',
    modes: BROKER,
    default: String(BROKER_LIMIT_DEFAULTS.maxConnections),
    min: 1,
    max: 1_000_000,
    meaning: 'Connections at once over all listeners; more get CONNACK 3.',
  },
  MQTT_STATE_SERVICE: {
    kind: 'choice',
    modes: BROKER,
    default: 'embedded',
    allowed: ['embedded', 'off'],
    meaning: '`embedded` attaches the state service to the bundled broker (which then keeps the state topics private); `off` does not.',
  },
  STATE_SERVICE_NAME: {
    kind: 'text',
    modes: ALL,
    default: 'default',
    ...TOPIC_LEVEL,
    meaning: 'The state service\'s name: the `<service>` level of its topics (components choose it with `stateService`).',
  },
  STATE_SERVICE_URL: {
    kind: 'text',
    modes: STATE_SERVICE,
    default: 'mqtt://127.0.0.1:1883',
    meaning: 'The broker the standalone state service attaches to (same schemes as `url`).',
  },
  STATE_SERVICE_USERNAME: {
    kind: 'text',
    modes: STATE_SERVICE,
    meaning: 'MQTT user name of the standalone state service.',
  },
  STATE_SERVICE_PASSWORD: {
    kind: 'secret',
    modes: STATE_SERVICE,
    meaning: 'Its MQTT password (never logged).',
  },
  STATE_SERVICE_CLIENT_ID: {
    kind: 'text',
    modes: STATE_SERVICE,
    default: 'dapr-state-service',
    ...TOPIC_LEVEL,
    meaning: 'Its MQTT client id; stable, so the broker queues requests while it restarts.',
  },
  STATE_SERVICE_DATA: {
    kind: 'text',
    modes: STATE_SERVICE,
    default: './data/state',
    meaning: 'Its LevelDB folder.',
  },
  STATE_SERVICE_PROTOCOL_VERSION: {
    kind: 'choice',
    modes: STATE_SERVICE,
    default: '4',
    allowed: ['4', '5'],
    meaning: 'MQTT protocol level it connects with: `4` (MQTT 3.1.1) or `5` (MQTT 5).',
  },
  LOG_LEVEL: {
    kind: 'choice',
    modes: ALL,
    default: 'info',
    allowed: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    meaning: 'pino log level.',
  },
  MAX_STREAMS: {
    kind: 'integer',
    modes: COMPONENT,
    default: String(COMPONENT_LIMIT_DEFAULTS.maxStreams),
    min: 1,
    max: 1_000_000,
    meaning: 'PullMessages streams open at once in this process; one more ends at once with `RESOURCE_EXHAUSTED` (`ERR_SUBSCRIBE_STREAM_LIMIT`). Each stream holds an MQTT connection and up to `maxBufferedMessages` messages.',
  },
  MAX_INSTANCES: {
    kind: 'integer',
    modes: COMPONENT,
    default: String(COMPONENT_LIMIT_DEFAULTS.maxInstances),
    min: 1,
    max: 1_000_000,
    meaning: 'Component instances (pub/sub and state together) initialized at once in this process; Init of one more fails with `RESOURCE_EXHAUSTED` (`ERR_INSTANCE_LIMIT`). Re-Init of an existing instance always works.',
  },
  METRICS_PORT: {
    kind: 'port',
    modes: ALL,
    defaultNote: 'off',
    meaning: 'Port of the metrics and health server (`/metrics`, `/healthz`, `/readyz`); `0` picks a free port (logged as `metrics listening`).',
  },
  METRICS_HOST: {
    kind: 'text',
    modes: ALL,
    default: '127.0.0.1',
    meaning: 'Its listen address: `0.0.0.0` in containers, so Prometheus and the kubelet reach the pod IP.',
  },
} as const satisfies Record<string, EnvVariable>;

export type EnvName = keyof typeof ENV_VARIABLES;

type ValueOf<V> = V extends { kind: 'choice'; allowed: readonly (infer A)[] }
  ? A
  : V extends { kind: 'integer' }
    ? number
    : V extends { kind: 'port'; allowOff: true }
      ? number | 'off'
      : V extends { kind: 'port' }
        ? number
        : V extends { kind: 'boolean' }
          ? boolean
          : string;

/** Each variable's parsed value: undefined when unset and without a default. */
export type EnvValues = {
  readonly [K in EnvName]: (typeof ENV_VARIABLES)[K] extends { default: string } ? ValueOf<(typeof ENV_VARIABLES)[K]> : ValueOf<(typeof ENV_VARIABLES)[K]> | undefined;
};

const invalid = (name: string, message: string): ComponentError => new ComponentError('ERR_CONFIG_INVALID', `${name} ${message}`, { field: name });

function textOf(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

/** One variable's value from `env` by its declaration, or an error naming it (and what it accepts). */
function parseOne(env: NodeJS.ProcessEnv, name: string, v: EnvVariable): string | number | boolean | undefined {
  if (v.kind === 'secret') {
    const raw = env[name];
    return raw === undefined || raw === '' ? undefined : raw;
  }
  const given = textOf(env, name) ?? (v.kind === 'text' && v.fallback !== undefined ? textOf(env, v.fallback) : undefined);
  const text = given ?? v.default;
  if (text === undefined) return undefined;
  switch (v.kind) {
    case 'text':
      if (v.pattern !== undefined && !v.pattern.test(text)) throw invalid(name, `"${text}" must be ${v.patternText ?? v.pattern.source}`);
      return text;
    case 'choice': {
      const value = text.toLowerCase();
      if (!v.allowed.includes(value)) throw invalid(name, `must be one of ${v.allowed.map((a) => `"${a}"`).join(', ')}, got "${text}"`);
      return value;
    }
    case 'boolean': {
      const value = text.toLowerCase();
      if (value !== 'true' && value !== 'false') throw invalid(name, `must be "true" or "false", got "${text}"`);
      return value === 'true';
    }
    case 'integer': {
      const value = Number(text);
      if (!/^\d+$/.test(text) || value < v.min || value > v.max) throw invalid(name, `must be a whole number ${v.min}-${v.max}, got "${text}"`);
      return value;
    }
    case 'port': {
      if (v.allowOff === true && text.toLowerCase() === 'off') return 'off';
      const value = Number(text);
      if (!/^\d+$/.test(text) || value > 65535) throw invalid(name, `must be a port number 0-65535${v.allowOff === true ? ' or "off"' : ''}, got "${text}"`);
      return value;
    }
  }
}

/** One declared variable, parsed (for a tool that needs just that one, such as `add-user`). */
export function parseEnvVariable<K extends EnvName>(env: NodeJS.ProcessEnv, name: K): EnvValues[K] {
  return parseOne(env, name, ENV_VARIABLES[name]) as EnvValues[K];
}

/** Every declared variable, parsed: strings in, typed values out, or an error that names the variable. */
export function parseEnvVariables(env: NodeJS.ProcessEnv): EnvValues {
  const values: Record<string, string | number | boolean | undefined> = {};
  for (const [name, v] of Object.entries(ENV_VARIABLES) as Array<[string, EnvVariable]>) values[name] = parseOne(env, name, v);
  return values as unknown as EnvValues;
}
