import { ComponentError } from '../errors/component-error.js';
import { isTopicLevelName } from './topic-level-name.js';

/** Process-level settings, read once from the environment by main.ts. */
export interface EnvConfig extends BrokerSecurityEnv {
  /** Folder of the Unix socket daprd discovers. */
  readonly socketFolder: string;
  /** Socket file is `<socketName>.sock`; Dapr component types are `pubsub.<socketName>`. */
  readonly socketName: string;
  /** `embedded` runs the bundled broker in this process; `off` runs the component alone. */
  readonly broker: 'embedded' | 'off';
  readonly brokerPort: number;
  readonly brokerHost: string;
  readonly brokerDataDir: string;
  /** `embedded` attaches the state service to the bundled broker (data in `<brokerDataDir>/state`). */
  readonly stateService: 'embedded' | 'off';
  /** The standalone state service (`state-service` mode): which broker, as whom, data where. */
  readonly stateServiceUrl: string;
  readonly stateServiceUsername: string | undefined;
  readonly stateServicePassword: string | undefined;
  readonly stateServiceClientId: string;
  /** The `<service>` topic level both state service modes answer on (default `default`). */
  readonly stateServiceName: string;
  readonly stateServiceDataDir: string;
  /** `STATE_SERVICE_PROTOCOL_VERSION`: the standalone state service connects with MQTT 3.1.1 (4, default) or 5. */
  readonly stateServiceProtocolVersion: 4 | 5;
  readonly logLevel: string;
  /** Port of the metrics and health server (`/metrics`, `/healthz`, `/readyz`); undefined = off; 0 = any free port. */
  readonly metricsPort: number | undefined;
  /** Its listen address (`0.0.0.0` in containers, so Prometheus and the kubelet reach it). */
  readonly metricsHost: string;
  /** `MAX_STREAMS`: PullMessages streams open at once in this process; one more fails RESOURCE_EXHAUSTED. */
  readonly maxStreams: number;
  /** `MAX_INSTANCES`: component instances (pub/sub and state together) initialized at once in this process. */
  readonly maxInstances: number;
}

/** Defaults of the component's own bounds (`MAX_STREAMS`, `MAX_INSTANCES`). */
export const COMPONENT_LIMIT_DEFAULTS = Object.freeze({
  /** One subscription per stream, each with its own MQTT connection and up to maxBufferedMessages held. */
  maxStreams: 1024,
  maxInstances: 256,
});

export const DEFAULT_SOCKET_FOLDER = '/tmp/dapr-components-sockets';
export const DEFAULT_SOCKET_NAME = 'mqtt-pluggable';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** Strings in, frozen typed settings out, or an error that names the variable. */
export function parseEnv(env: NodeJS.ProcessEnv): EnvConfig {
  const socketName = nonEmpty(env.MQTT_SOCKET_NAME) ?? DEFAULT_SOCKET_NAME;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(socketName)) {
    throw new ComponentError('ERR_CONFIG_INVALID', `MQTT_SOCKET_NAME "${socketName}" must be letters, digits, '.', '_' or '-'`, { field: 'MQTT_SOCKET_NAME' });
  }
  const brokerMode = (nonEmpty(env.MQTT_BROKER) ?? 'embedded').toLowerCase();
  if (brokerMode !== 'embedded' && brokerMode !== 'off') {
    throw new ComponentError('ERR_CONFIG_INVALID', `MQTT_BROKER must be "embedded" or "off", got "${brokerMode}"`, { field: 'MQTT_BROKER' });
  }
  const stateService = (nonEmpty(env.MQTT_STATE_SERVICE) ?? 'embedded').toLowerCase();
  if (stateService !== 'embedded' && stateService !== 'off') {
    throw new ComponentError('ERR_CONFIG_INVALID', `MQTT_STATE_SERVICE must be "embedded" or "off", got "${stateService}"`, { field: 'MQTT_STATE_SERVICE' });
  }
  const stateServiceClientId = nonEmpty(env.STATE_SERVICE_CLIENT_ID) ?? 'dapr-state-service';
  if (!isTopicLevelName(stateServiceClientId)) {
    throw new ComponentError('ERR_CONFIG_INVALID', `STATE_SERVICE_CLIENT_ID "${stateServiceClientId}" must be letters, digits, '.', '_', ':', '@' or '-'`, { field: 'STATE_SERVICE_CLIENT_ID' });
  }
  const stateServiceName = nonEmpty(env.STATE_SERVICE_NAME) ?? 'default';
  if (!isTopicLevelName(stateServiceName)) {
    throw new ComponentError('ERR_CONFIG_INVALID', `STATE_SERVICE_NAME "${stateServiceName}" must be letters, digits, '.', '_', ':', '@' or '-'`, { field: 'STATE_SERVICE_NAME' });
  }
  const portText = nonEmpty(env.MQTT_BROKER_PORT) ?? '1883';
  const brokerPort = Number(portText);
  if (!/^\d+$/.test(portText) || brokerPort > 65535) {
    throw new ComponentError('ERR_CONFIG_INVALID', `MQTT_BROKER_PORT must be a port number 0-65535, got "${portText}"`, { field: 'MQTT_BROKER_PORT' });
  }
  const metricsPortText = nonEmpty(env.METRICS_PORT);
  const metricsPort = metricsPortText === undefined ? undefined : Number(metricsPortText);
  if (metricsPortText !== undefined && (!/^\d+$/.test(metricsPortText) || (metricsPort as number) > 65535)) {
    throw new ComponentError('ERR_CONFIG_INVALID', `METRICS_PORT must be a port number 0-65535 (or unset: no metrics server), got "${metricsPortText}"`, { field: 'METRICS_PORT' });
  }
  const stateServiceProtocolVersion = nonEmpty(env.STATE_SERVICE_PROTOCOL_VERSION) ?? '4';
  if (stateServiceProtocolVersion !== '4' && stateServiceProtocolVersion !== '5') {
    throw new ComponentError('ERR_CONFIG_INVALID', `STATE_SERVICE_PROTOCOL_VERSION must be 4 (MQTT 3.1.1) or 5 (MQTT 5), got "${stateServiceProtocolVersion}"`, {
      field: 'STATE_SERVICE_PROTOCOL_VERSION',
    });
  }
  const logLevel = (nonEmpty(env.LOG_LEVEL) ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ComponentError('ERR_CONFIG_INVALID', `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`, { field: 'LOG_LEVEL' });
  }
  return Object.freeze({
    socketFolder:
      nonEmpty(env.DAPR_COMPONENTS_SOCKETS_FOLDER) ?? nonEmpty(env.DAPR_COMPONENT_SOCKETS_FOLDER) ?? DEFAULT_SOCKET_FOLDER,
    socketName,
    broker: brokerMode,
    brokerPort,
    brokerHost: nonEmpty(env.MQTT_BROKER_HOST) ?? '127.0.0.1',
    brokerDataDir: nonEmpty(env.MQTT_BROKER_DATA) ?? './data',
    stateService,
    stateServiceUrl: nonEmpty(env.STATE_SERVICE_URL) ?? 'mqtt://127.0.0.1:1883',
    stateServiceUsername: nonEmpty(env.STATE_SERVICE_USERNAME),
    stateServicePassword: env.STATE_SERVICE_PASSWORD === undefined || env.STATE_SERVICE_PASSWORD === '' ? undefined : env.STATE_SERVICE_PASSWORD,
    stateServiceClientId,
    stateServiceName,
    stateServiceDataDir: nonEmpty(env.STATE_SERVICE_DATA) ?? './data/state',
    stateServiceProtocolVersion: Number(stateServiceProtocolVersion) as 4 | 5,
    logLevel,
    metricsPort,
    metricsHost: nonEmpty(env.METRICS_HOST) ?? '127.0.0.1',
    maxStreams: envInteger(env, 'MAX_STREAMS', COMPONENT_LIMIT_DEFAULTS.maxStreams, 1, 1_000_000),
    maxInstances: envInteger(env, 'MAX_INSTANCES', COMPONENT_LIMIT_DEFAULTS.maxInstances, 1, 1_000_000),
    ...parseBrokerSecurityEnv(env),
  });
}

/** The bundled broker's authentication, listeners and limits (README, section Security). */
export interface BrokerSecurityEnv {
  /** `MQTT_BROKER_USERS_FILE`: users (scrypt hashes) and their topic patterns; every client logs in. */
  readonly brokerUsersFile: string | undefined;
  /** `MQTT_BROKER_ALLOW_ANONYMOUS` as given; undefined: allowed only on a loopback address without a users file. */
  readonly brokerAllowAnonymous: boolean | undefined;
  /** `MQTT_BROKER_TLS_CERT`, `_KEY` (both or neither) and `_CA` (client certificates required) files. */
  readonly brokerTlsFiles: { readonly certFile: string; readonly keyFile: string; readonly caFile: string | undefined } | undefined;
  /** mqtts port (`MQTT_BROKER_TLS_PORT`, default 8883 with TLS files, `off` for none). */
  readonly brokerTlsPort: number | undefined;
  /** ws:// and wss:// ports (path `/mqtt`); undefined = no such listener. */
  readonly brokerWsPort: number | undefined;
  readonly brokerWssPort: number | undefined;
  readonly brokerMaxPacketSize: number;
  readonly brokerMaxTopicLevels: number;
  readonly brokerMaxInflight: number;
  readonly brokerMaxConnections: number;
}

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

const DEFAULT_TLS_PORT = 8883;

function envInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = nonEmpty(env[name]);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new ComponentError('ERR_CONFIG_INVALID', `${name} must be a whole number ${min}-${max}, got "${text}"`, { field: name });
  }
  return value;
}

/** A port number, or undefined when unset (or `off` where `allowOff`). */
function envPort(env: NodeJS.ProcessEnv, name: string, allowOff = false): number | undefined | 'off' {
  const text = nonEmpty(env[name]);
  if (text === undefined) return undefined;
  if (allowOff && text.toLowerCase() === 'off') return 'off';
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new ComponentError('ERR_CONFIG_INVALID', `${name} must be a port number 0-65535${allowOff ? ' or "off"' : ''}, got "${text}"`, { field: name });
  }
  return port;
}

function parseBrokerSecurityEnv(env: NodeJS.ProcessEnv): BrokerSecurityEnv {
  const anonymousText = nonEmpty(env.MQTT_BROKER_ALLOW_ANONYMOUS)?.toLowerCase();
  if (anonymousText !== undefined && anonymousText !== 'true' && anonymousText !== 'false') {
    throw new ComponentError('ERR_CONFIG_INVALID', `MQTT_BROKER_ALLOW_ANONYMOUS must be "true" or "false", got "${anonymousText}"`, { field: 'MQTT_BROKER_ALLOW_ANONYMOUS' });
  }
  const certFile = nonEmpty(env.MQTT_BROKER_TLS_CERT);
  const keyFile = nonEmpty(env.MQTT_BROKER_TLS_KEY);
  const caFile = nonEmpty(env.MQTT_BROKER_TLS_CA);
  if ((certFile === undefined) !== (keyFile === undefined)) {
    const [set, missing] = certFile !== undefined ? ['MQTT_BROKER_TLS_CERT', 'MQTT_BROKER_TLS_KEY'] : ['MQTT_BROKER_TLS_KEY', 'MQTT_BROKER_TLS_CERT'];
    throw new ComponentError('ERR_CONFIG_INVALID', `${set} is set but ${missing} is not: the TLS listeners need both files`, { field: missing });
  }
  const tls = certFile !== undefined && keyFile !== undefined;
  const needsTls = (name: string): void => {
    if (!tls) throw new ComponentError('ERR_CONFIG_INVALID', `${name} needs MQTT_BROKER_TLS_CERT and MQTT_BROKER_TLS_KEY (PEM files)`, { field: name });
  };
  if (caFile !== undefined) needsTls('MQTT_BROKER_TLS_CA');
  const tlsPort = envPort(env, 'MQTT_BROKER_TLS_PORT', true);
  if (tlsPort !== undefined && tlsPort !== 'off') needsTls('MQTT_BROKER_TLS_PORT');
  const wssPort = envPort(env, 'MQTT_BROKER_WSS_PORT');
  if (wssPort !== undefined) needsTls('MQTT_BROKER_WSS_PORT');
  const wsPort = envPort(env, 'MQTT_BROKER_WS_PORT');
  return {
    brokerUsersFile: nonEmpty(env.MQTT_BROKER_USERS_FILE),
    brokerAllowAnonymous: anonymousText === undefined ? undefined : anonymousText === 'true',
    brokerTlsFiles: tls ? { certFile: certFile!, keyFile: keyFile!, caFile } : undefined,
    brokerTlsPort: !tls || tlsPort === 'off' ? undefined : (tlsPort ?? DEFAULT_TLS_PORT),
    brokerWsPort: wsPort === 'off' ? undefined : wsPort,
    brokerWssPort: wssPort === 'off' ? undefined : wssPort,
    brokerMaxPacketSize: envInteger(env, 'MQTT_BROKER_MAX_PACKET_SIZE', BROKER_LIMIT_DEFAULTS.maxPacketSize, 64, 268_435_460),
    brokerMaxTopicLevels: envInteger(env, 'MQTT_BROKER_MAX_TOPIC_LEVELS', BROKER_LIMIT_DEFAULTS.maxTopicLevels, 1, 100),
    brokerMaxInflight: envInteger(env, 'MQTT_BROKER_MAX_INFLIGHT', BROKER_LIMIT_DEFAULTS.maxInflight, 1, 65_535),
    brokerMaxConnections: envInteger(env, 'MQTT_BROKER_MAX_CONNECTIONS', BROKER_LIMIT_DEFAULTS.maxConnections, 1, 1_000_000),
  };
}
