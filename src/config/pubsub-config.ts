import { ComponentError } from '../errors/component-error.js';
import { parseConnectionConfig, type ConnectionConfig } from './connection-config.js';
import { MetadataReader, type Properties } from './read-metadata.js';
import { PUBSUB_FIELDS } from './metadata-fields.js';

export type QoS = 0 | 1 | 2;

/** Everything a pub/sub component instance needs, parsed once at Init and frozen. */
export interface PubSubConfig {
  readonly connection: ConnectionConfig;
  readonly consumerID: string;
  readonly qos: QoS;
  readonly retain: boolean;
  readonly cleanSession: boolean;
  /**
   * MQTT 5: seconds the broker keeps a subscriber's session after a disconnect (the
   * `sessionExpiryInterval` metadata, else from cleanSession: false → never expires, true → 0).
   * Undefined with MQTT 3.1.1, where `cleanSession` alone decides.
   */
  readonly sessionExpiryInterval: number | undefined;
  readonly sharedSubscriptions: boolean;
  readonly publishTimeoutMs: number;
  readonly maxInflightPublishes: number;
  /** Publishes that may wait for an in-flight slot; beyond, RESOURCE_EXHAUSTED at once. */
  readonly maxPendingPublishes: number;
  readonly redeliveryInitialDelayMs: number;
  readonly redeliveryMaxDelayMs: number;
  readonly maxBufferedMessages: number;
  /** Deliveries of one subscription handed to daprd before the first is acked. */
  readonly deliveryReadAhead: number;
  readonly maxPublishSize: number;
  readonly maxDeliverySize: number;
}

/** Session expiry of a session that never expires [MQTT-3.1.2-11 ff.: 0xFFFFFFFF]. */
export const SESSION_NEVER_EXPIRES = 0xffff_ffff;

/**
 * MQTT 5 replaces Clean Session with Session Expiry: an explicit `sessionExpiryInterval` wins;
 * without one, cleanSession=false keeps the session for ever and cleanSession=true ends it with
 * the connection, as MQTT 3.1.1 does. MQTT 3.1.1 has no session expiry: naming it is an error.
 */
function parseSessionExpiry(r: MetadataReader, protocolVersion: 4 | 5, cleanSession: boolean): number | undefined {
  const given = r.raw('sessionExpiryInterval') !== undefined;
  if (protocolVersion === 4) {
    if (given) {
      throw new ComponentError(
        'ERR_CONFIG_INVALID',
        'metadata field "sessionExpiryInterval" needs protocolVersion 5 (MQTT 3.1.1 has no session expiry: use cleanSession)',
        { field: 'sessionExpiryInterval' },
      );
    }
    return undefined;
  }
  if (given) return r.integer('sessionExpiryInterval', 0, SESSION_NEVER_EXPIRES);
  return cleanSession ? 0 : SESSION_NEVER_EXPIRES;
}

/** Metadata strings in (unknown keys such as daprd's own are ignored), frozen config out. */
export function parsePubSubConfig(props: Properties): PubSubConfig {
  const r = new MetadataReader(props, PUBSUB_FIELDS);
  const consumerID = r.string('consumerID') as string;
  const connection = parseConnectionConfig(r);
  const sharedSubscriptions = r.boolean('sharedSubscriptions');
  if (sharedSubscriptions && /[/+#]/.test(consumerID)) {
    throw new ComponentError(
      'ERR_CONFIG_INVALID',
      `metadata field "consumerID" "${consumerID}" cannot name an MQTT share group (no '/', '+' or '#'); change it or set sharedSubscriptions to false`,
      { field: 'consumerID' },
    );
  }
  const cleanSession = r.boolean('cleanSession');
  return Object.freeze({
    connection,
    consumerID,
    qos: r.integer('qos', 0, 2) as QoS,
    retain: r.boolean('retain'),
    cleanSession,
    sessionExpiryInterval: parseSessionExpiry(r, connection.protocolVersion, cleanSession),
    sharedSubscriptions,
    publishTimeoutMs: r.durationMs('publishTimeout', 1, 3_600_000),
    maxInflightPublishes: r.integer('maxInflightPublishes', 1, 65535),
    maxPendingPublishes: r.integer('maxPendingPublishes', 0, 1_000_000),
    redeliveryInitialDelayMs: r.durationMs('redeliveryInitialDelay', 1, 3_600_000),
    redeliveryMaxDelayMs: r.durationMs('redeliveryMaxDelay', 1, 3_600_000),
    maxBufferedMessages: r.integer('maxBufferedMessages', 1, 1_000_000),
    deliveryReadAhead: r.integer('deliveryReadAhead', 1, 100),
    maxPublishSize: r.integer('maxPublishSize', 64, 268_435_455),
    maxDeliverySize: r.integer('maxDeliverySize', 1024, 2_147_483_647),
  });
}
