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
  readonly sharedSubscriptions: boolean;
  readonly publishTimeoutMs: number;
  readonly maxInflightPublishes: number;
  readonly redeliveryInitialDelayMs: number;
  readonly redeliveryMaxDelayMs: number;
  readonly maxBufferedMessages: number;
  readonly maxPublishSize: number;
  readonly maxDeliverySize: number;
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
  return Object.freeze({
    connection,
    consumerID,
    qos: r.integer('qos', 0, 2) as QoS,
    retain: r.boolean('retain'),
    cleanSession: r.boolean('cleanSession'),
    sharedSubscriptions,
    publishTimeoutMs: r.durationMs('publishTimeout', 1, 3_600_000),
    maxInflightPublishes: r.integer('maxInflightPublishes', 1, 65535),
    redeliveryInitialDelayMs: r.durationMs('redeliveryInitialDelay', 1, 3_600_000),
    redeliveryMaxDelayMs: r.durationMs('redeliveryMaxDelay', 1, 3_600_000),
    maxBufferedMessages: r.integer('maxBufferedMessages', 1, 1_000_000),
    maxPublishSize: r.integer('maxPublishSize', 64, 268_435_455),
    maxDeliverySize: r.integer('maxDeliverySize', 1024, 2_147_483_647),
  });
}
