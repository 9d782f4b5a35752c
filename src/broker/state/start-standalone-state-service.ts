import { CONNECTION_FIELDS } from '../../config/metadata-fields.js';
import { parseConnectionConfig } from '../../config/connection-config.js';
import { MetadataReader } from '../../config/read-metadata.js';
import { ComponentError, isComponentError } from '../../errors/component-error.js';
import type { Logger } from '../../logging/logger.js';
import { openStateEngine } from './open-state-engine.js';
import { startRemoteStateService } from './start-remote-state-service.js';
import type { BrokerMetrics } from '../../metrics/component-metrics.js';

export interface StandaloneStateServiceOptions {
  /** Broker url, as the `url` metadata (tcp, mqtts, ws, ...). */
  readonly url: string;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly clientId: string;
  readonly service: string;
  readonly dataDir: string;
  readonly logger: Logger;
  /** MQTT protocol level to connect with (`STATE_SERVICE_PROTOCOL_VERSION`); default 4. */
  readonly protocolVersion?: 4 | 5;
  /** Where the state service's requests are recorded. */
  readonly metrics?: BrokerMetrics;
}

/** How long the process waits for its broker at startup before giving up with one line. */
const STARTUP_CONNECT_MS = 10_000;

/** `npm run state-service`: the LevelDB engine plus an MQTT attachment to any broker. */
export async function startStandaloneStateService(options: StandaloneStateServiceOptions): Promise<{ connected(): boolean; close(): Promise<void> }> {
  const props: Record<string, string> = { url: options.url };
  if (options.username !== undefined) props.username = options.username;
  if (options.password !== undefined) props.password = options.password;
  if (options.protocolVersion !== undefined) props.protocolVersion = String(options.protocolVersion);
  let connection;
  try {
    connection = parseConnectionConfig(new MetadataReader(props, CONNECTION_FIELDS));
  } catch (err) {
    // The env variable, not the metadata field, is what the operator set.
    throw isComponentError(err) ? new ComponentError(err.code, err.message.replace('metadata field "url"', 'STATE_SERVICE_URL'), { field: 'STATE_SERVICE_URL' }) : err;
  }
  let engine;
  try {
    const { metrics } = options;
    engine = await openStateEngine({
      dataDir: options.dataDir,
      logger: options.logger,
      onRequest: metrics && ((operation, outcome) => metrics.stateServiceRequest(operation, outcome)),
    });
  } catch (err) {
    throw new ComponentError('ERR_BROKER_START', `cannot open the state data in ${options.dataDir} (${(err as Error).message}): check STATE_SERVICE_DATA`, {
      field: 'STATE_SERVICE_DATA',
      cause: err,
    });
  }
  try {
    const attached = await startRemoteStateService({
      connection,
      clientId: options.clientId,
      service: options.service,
      engine,
      logger: options.logger,
      connectTimeoutMs: STARTUP_CONNECT_MS,
    });
    return {
      connected: () => attached.connected(),
      async close() {
        await attached.close();
        await engine.close();
      },
    };
  } catch (err) {
    await engine.close();
    throw err;
  }
}
