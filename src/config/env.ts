import { ComponentError } from '../errors/component-error.js';
import { DEFAULT_TLS_PORT, parseEnvVariables, type EnvValues } from './env-variables.js';

export { BROKER_LIMIT_DEFAULTS, COMPONENT_LIMIT_DEFAULTS, DEFAULT_SOCKET_FOLDER, DEFAULT_SOCKET_NAME } from './env-variables.js';

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

/** Strings in, frozen typed settings out, or an error that names the variable (src/config/env-variables.ts). */
export function parseEnv(env: NodeJS.ProcessEnv): EnvConfig {
  const v = parseEnvVariables(env);
  return Object.freeze({
    socketFolder: v.DAPR_COMPONENTS_SOCKETS_FOLDER,
    socketName: v.MQTT_SOCKET_NAME,
    broker: v.MQTT_BROKER,
    brokerPort: v.MQTT_BROKER_PORT,
    brokerHost: v.MQTT_BROKER_HOST,
    brokerDataDir: v.MQTT_BROKER_DATA,
    stateService: v.MQTT_STATE_SERVICE,
    stateServiceUrl: v.STATE_SERVICE_URL,
    stateServiceUsername: v.STATE_SERVICE_USERNAME,
    stateServicePassword: v.STATE_SERVICE_PASSWORD,
    stateServiceClientId: v.STATE_SERVICE_CLIENT_ID,
    stateServiceName: v.STATE_SERVICE_NAME,
    stateServiceDataDir: v.STATE_SERVICE_DATA,
    stateServiceProtocolVersion: v.STATE_SERVICE_PROTOCOL_VERSION === '5' ? 5 : 4,
    logLevel: v.LOG_LEVEL,
    metricsPort: v.METRICS_PORT,
    metricsHost: v.METRICS_HOST,
    maxStreams: v.MAX_STREAMS,
    maxInstances: v.MAX_INSTANCES,
    ...brokerSecurity(v),
  });
}

/** The bundled broker's authentication, listeners and limits (docs/security.md). */
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

/** The rules between variables: the TLS files come as a pair, and the TLS listeners need them. */
function brokerSecurity(v: EnvValues): BrokerSecurityEnv {
  const certFile = v.MQTT_BROKER_TLS_CERT;
  const keyFile = v.MQTT_BROKER_TLS_KEY;
  const caFile = v.MQTT_BROKER_TLS_CA;
  if ((certFile === undefined) !== (keyFile === undefined)) {
    const [set, missing] = certFile !== undefined ? ['MQTT_BROKER_TLS_CERT', 'MQTT_BROKER_TLS_KEY'] : ['MQTT_BROKER_TLS_KEY', 'MQTT_BROKER_TLS_CERT'];
    throw new ComponentError('ERR_CONFIG_INVALID', `${set} is set but ${missing} is not: the TLS listeners need both files`, { field: missing });
  }
  const tls = certFile !== undefined && keyFile !== undefined;
  const needsTls = (name: string): void => {
    if (!tls) throw new ComponentError('ERR_CONFIG_INVALID', `${name} needs MQTT_BROKER_TLS_CERT and MQTT_BROKER_TLS_KEY (PEM files)`, { field: name });
  };
  if (caFile !== undefined) needsTls('MQTT_BROKER_TLS_CA');
  const tlsPort = v.MQTT_BROKER_TLS_PORT;
  if (tlsPort !== undefined && tlsPort !== 'off') needsTls('MQTT_BROKER_TLS_PORT');
  if (v.MQTT_BROKER_WSS_PORT !== undefined) needsTls('MQTT_BROKER_WSS_PORT');
  return {
    brokerUsersFile: v.MQTT_BROKER_USERS_FILE,
    brokerAllowAnonymous: v.MQTT_BROKER_ALLOW_ANONYMOUS,
    brokerTlsFiles: tls ? { certFile: certFile!, keyFile: keyFile!, caFile } : undefined,
    brokerTlsPort: !tls || tlsPort === 'off' ? undefined : (tlsPort ?? DEFAULT_TLS_PORT),
    brokerWsPort: v.MQTT_BROKER_WS_PORT,
    brokerWssPort: v.MQTT_BROKER_WSS_PORT,
    brokerMaxPacketSize: v.MQTT_BROKER_MAX_PACKET_SIZE,
    brokerMaxTopicLevels: v.MQTT_BROKER_MAX_TOPIC_LEVELS,
    brokerMaxInflight: v.MQTT_BROKER_MAX_INFLIGHT,
    brokerMaxConnections: v.MQTT_BROKER_MAX_CONNECTIONS,
  };
}
