import { ComponentError } from '../errors/component-error.js';
import { isTopicLevelName } from './topic-level-name.js';

/** Process-level settings, read once from the environment by main.ts. */
export interface EnvConfig {
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
  readonly logLevel: string;
}

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
    logLevel,
  });
}
