import { ComponentError } from '../errors/component-error.js';
import { parseConnectionConfig, type ConnectionConfig } from './connection-config.js';
import { MetadataReader, type Properties } from './read-metadata.js';
import { STATE_FIELDS } from './metadata-fields.js';
import { isTopicLevelName } from './topic-level-name.js';

/** Everything a state store instance needs, parsed once at Init and frozen. */
export interface StateConfig {
  readonly connection: ConnectionConfig;
  readonly requestTimeoutMs: number;
  /** The `keyspace` metadata; undefined = the component name. */
  readonly keyspace: string | undefined;
  /** The state service name: the `<service>` level of the state topics. */
  readonly service: string;
}

/** Metadata strings in (unknown keys such as daprd's `actorStateStore` are ignored), frozen config out. */
export function parseStateConfig(props: Properties): StateConfig {
  const r = new MetadataReader(props, STATE_FIELDS);
  const connection = parseConnectionConfig(r);
  if (connection.clientId !== undefined && !isTopicLevelName(connection.clientId)) {
    throw new ComponentError('ERR_CONFIG_INVALID', `metadata field "clientId" "${connection.clientId}" names an MQTT topic level: use letters, digits, '.', '_', ':', '@' or '-'`, {
      field: 'clientId',
    });
  }
  const service = r.string('stateService') as string;
  if (!isTopicLevelName(service)) {
    throw new ComponentError('ERR_CONFIG_INVALID', `metadata field "stateService" "${service}" names an MQTT topic level: use letters, digits, '.', '_', ':', '@' or '-'`, {
      field: 'stateService',
    });
  }
  const keyspace = r.string('keyspace');
  if (keyspace !== undefined && (keyspace.length > 256 || keyspace.includes('\u0000'))) {
    throw new ComponentError('ERR_CONFIG_INVALID', 'metadata field "keyspace" must be at most 256 characters, without NUL', { field: 'keyspace' });
  }
  return Object.freeze({
    connection,
    requestTimeoutMs: r.durationMs('requestTimeout', 1, 3_600_000),
    keyspace,
    service,
  });
}
