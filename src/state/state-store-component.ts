import type { Logger } from '../logging/logger.js';
import { parseStateConfig, type StateConfig } from '../config/state-config.js';
import type { Properties } from '../config/read-metadata.js';
import { ComponentError, isComponentError } from '../errors/component-error.js';
import type { StateOp } from '../mqtt/state-envelope.js';
import { StateClient } from './state-client.js';
import { stateClientId } from './state-client-id.js';
import { NO_STATE_METRICS, type StateMetrics } from '../metrics/component-metrics.js';

/** Declared to daprd; each is implemented by the state service and covered by the conformance suite. */
export const STATE_FEATURES = ['ETAG', 'TRANSACTIONAL', 'TTL', 'QUERY_API'] as const;

/** Operations per Transact the state service applies as one LevelDB batch (answered to MultiMaxSize). */
export const MULTI_MAX_SIZE = 10_000;

/** Who this instance is (as for pub/sub): the component name and what tells replicas apart. */
export interface StateIdentity {
  readonly instance: string;
  readonly replica: string;
}

/** The data operations: Dapr request bytes in, Dapr response bytes out. */
export type DataOp = Exclude<StateOp, 'ping'>;

/** One Dapr state store instance (one `x-component-instance`), knowing nothing of gRPC. */
export class StateStoreComponent {
  private constructor(
    readonly config: StateConfig,
    readonly keyspace: string,
    private readonly client: StateClient,
  ) {}

  /**
   * Parses the metadata, connects, and asks the state service for a pong: Init succeeds only
   * when a state service answers, so a missing one is reported at startup, not at the first Get.
   */
  static async init(props: Properties, identity: StateIdentity, logger: Logger, metrics: StateMetrics = NO_STATE_METRICS): Promise<StateStoreComponent> {
    const config = parseStateConfig(props);
    const keyspace = config.keyspace ?? identity.instance;
    const client = await StateClient.connect(config, stateClientId(config.connection.clientId, identity.replica, identity.instance), keyspace, logger, metrics);
    try {
      await client.request('ping', new Uint8Array(0), config.connection.connectTimeoutMs);
    } catch (err) {
      await client.close();
      if (isComponentError(err) && (err.code === 'ERR_STATE_TIMEOUT' || err.code === 'ERR_STATE_UNAVAILABLE')) {
        throw new ComponentError(
          'ERR_STATE_NO_SERVICE',
          `no state service answered on broker ${config.connection.displayAddress} within ${config.connection.connectTimeoutMs} ms: use the bundled broker, or run \`npm run state-service\` against this broker`,
          { field: 'url', cause: err },
        );
      }
      throw err;
    }
    logger.info({ broker: config.connection.displayAddress, keyspace }, 'state store initialized');
    return new StateStoreComponent(config, keyspace, client);
  }

  /** True while the link to the broker is up (readiness). */
  get connected(): boolean {
    return this.client.connected;
  }

  features(): readonly string[] {
    return STATE_FEATURES;
  }

  multiMaxSize(): number {
    return MULTI_MAX_SIZE;
  }

  /** Sends `request` (a serialized Dapr request) and resolves with the serialized Dapr response. */
  execute(op: DataOp, request: Uint8Array): Promise<Buffer> {
    return this.client.request(op, request);
  }

  /** A round trip to the state service. */
  async ping(): Promise<void> {
    await this.client.request('ping', new Uint8Array(0));
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
