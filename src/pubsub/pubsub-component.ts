import type { Logger } from '../logging/logger.js';
import { parsePubSubConfig, type PubSubConfig } from '../config/pubsub-config.js';
import type { Properties } from '../config/read-metadata.js';
import { ComponentError } from '../errors/component-error.js';
import type { MqttLink } from '../mqtt/mqtt-link.js';
import { openMqttLink } from '../mqtt/mqttjs-link.js';
import { PUBSUB_LABELS, Publisher } from '../mqtt/publisher.js';
import { checkTopicFilter, checkTopicName } from '../mqtt/topic-names.js';
import { mqttPublishPacketSize, publishPropertiesSize } from '../mqtt/packet-size.js';
import type { PublishOptions } from '../mqtt/publisher.js';
import { baseClientId, publisherClientId, subscriberClientId } from './client-ids.js';
import type { Deliver, FailSubscription } from './delivery.js';
import { publishOptionsFrom, subscribeQosFrom } from './publish-metadata.js';
import { TopicSubscription } from './topic-subscription.js';
import { settleBounded } from './settle-bounded.js';
import { checkPublishCapabilities, learnBrokerCapabilities, subscriptionFilter } from './broker-requirements.js';
import type { BrokerCapabilities } from '../mqtt/broker-capabilities.js';
import { NO_PUBSUB_METRICS, timedOutcome, type PubSubMetrics } from '../metrics/component-metrics.js';

/** Declared to daprd; each is implemented and covered by the conformance suite. */
export const PUBSUB_FEATURES = ['BULK_PUBSUB', 'SUBSCRIBE_WILDCARDS', 'BULK_SUBSCRIBE_IMMEDIATE'] as const;
/** Declared too with MQTT 5, where `ttlInSeconds` becomes the message expiry (daprd then leaves TTL to us). */
export const PUBSUB_FEATURES_MQTT5 = [...PUBSUB_FEATURES, 'MESSAGE_TTL'] as const;

type Meta = Readonly<Record<string, string>> | undefined;

/** Who this instance is: the component name daprd uses, and what tells replicas apart. */
export interface InstanceIdentity {
  /** The `x-component-instance` (Component metadata.name). */
  readonly instance: string;
  /** Stable per replica process (its socket path); part of the default client id. */
  readonly replica: string;
}

export interface BulkEntry {
  readonly entryId: string;
  readonly event: Buffer;
  readonly metadata: Meta;
  /** BulkMessageEntry.content_type (MQTT 5: the Content Type property). */
  readonly contentType?: string;
}

export interface BulkFailure {
  readonly entryId: string;
  readonly error: string;
}

/** One Dapr pub/sub component instance (one `x-component-instance`), knowing nothing of gRPC. */
export class PubSubComponent {
  private readonly subscriptions = new Set<TopicSubscription>();
  private readonly clientIdBase: string;
  private paused = false;
  private closed = false;
  /** The broker said it has no shared subscriptions (MQTT 5 CONNACK): warned once. */
  private warnedNoSharedSubscriptions = false;

  private constructor(
    readonly config: PubSubConfig,
    private readonly publisherLink: MqttLink,
    private readonly publisher: Publisher,
    private readonly logger: Logger,
    clientIdBase: string,
    private readonly metrics: PubSubMetrics,
    /** What the broker turned out to support at Init (src/pubsub/broker-requirements.ts). */
    readonly capabilities: BrokerCapabilities,
  ) {
    this.clientIdBase = clientIdBase;
  }

  /**
   * Parses the metadata and connects the publisher. Init succeeds only once the broker
   * accepted the connection (within `connectTimeout`), so a wrong url, credentials or
   * certificate fail here, clearly, instead of warning later.
   */
  static async init(props: Properties, identity: InstanceIdentity, logger: Logger, metrics: PubSubMetrics = NO_PUBSUB_METRICS): Promise<PubSubComponent> {
    const startedAt = Date.now();
    const config = parsePubSubConfig(props);
    const base = baseClientId(config.connection.clientId, config.consumerID, identity.replica, identity.instance);
    const link = openMqttLink({ connection: config.connection, clientId: publisherClientId(base), clean: true, logger });
    link.onUp((up) => {
      if (up.reconnect) metrics.reconnected('publisher');
    });
    let capabilities: BrokerCapabilities;
    try {
      await link.waitUntilUp(config.connection.connectTimeoutMs);
      capabilities = await learnBrokerCapabilities(link, config, logger, startedAt);
    } catch (err) {
      await link.close();
      throw err;
    }
    const publisher = new Publisher(link, config.publishTimeoutMs, config.maxInflightPublishes, PUBSUB_LABELS, config.maxPendingPublishes);
    logger.info({ broker: config.connection.displayAddress, consumerID: config.consumerID }, 'pubsub initialized');
    return new PubSubComponent(config, link, publisher, logger, base, metrics, capabilities);
  }

  features(): readonly string[] {
    return this.config.connection.protocolVersion === 5 ? PUBSUB_FEATURES_MQTT5 : PUBSUB_FEATURES;
  }

  /** `contentType` is PublishRequest.content_type (MQTT 5: the Content Type property). */
  async publish(topic: string, data: Buffer, metadata: Meta, contentType?: string): Promise<void> {
    await this.timed('publish', async () => {
      checkTopicName(topic);
      const options = publishOptionsFrom(this.config, metadata, contentType);
      checkPublishCapabilities(options, this.capabilities);
      this.checkSize(topic, data, options);
      await this.publisher.publish(topic, data, options);
    });
    this.metrics.published(1);
  }

  /** Times `work` in the publish latency histogram, labelled with its outcome. */
  private timed<T>(operation: 'publish' | 'bulk_publish', work: () => Promise<T>): Promise<T> {
    return timedOutcome(this.metrics.startPublish(operation), work);
  }

  /**
   * Checked here, before sending: a broker drops the whole link for an oversized packet. The
   * limit is `maxPublishSize`, and with MQTT 5 also the Maximum Packet Size of the last CONNACK.
   */
  private checkSize(topic: string, data: Buffer, options: PublishOptions): void {
    const size = mqttPublishPacketSize(topic, data.length, options.properties === undefined ? undefined : publishPropertiesSize(options.properties));
    if (size > this.config.maxPublishSize) {
      throw new ComponentError(
        'ERR_PUBLISH_TOO_LARGE',
        `message too large: the MQTT packet would be ${size} bytes, above maxPublishSize (${this.config.maxPublishSize} bytes)`,
        { field: 'data' },
      );
    }
    const brokerMax = this.publisher.brokerMaxPacketSize;
    if (brokerMax !== undefined && size > brokerMax) {
      throw new ComponentError(
        'ERR_PUBLISH_TOO_LARGE',
        `message too large: the MQTT packet would be ${size} bytes, above the broker's Maximum Packet Size (${brokerMax} bytes, from its CONNACK)`,
        { field: 'data' },
      );
    }
  }

  /** Pipelined; every entry is tried; failures come back per entry. */
  async bulkPublish(topic: string, entries: readonly BulkEntry[], metadata: Meta): Promise<BulkFailure[]> {
    const failures = await this.timed('bulk_publish', () => this.bulkPublishEntries(topic, entries, metadata));
    this.metrics.published(entries.length - failures.length);
    return failures;
  }

  private async bulkPublishEntries(topic: string, entries: readonly BulkEntry[], metadata: Meta): Promise<BulkFailure[]> {
    checkTopicName(topic);
    // Each entry succeeds or fails on its own: a bad entry's metadata must not stop the others.
    // At most maxInflightPublishes entries at a time, so a big bulk does not fill the pending queue.
    const results = await settleBounded(entries, this.config.maxInflightPublishes, async (e) => {
      const options = publishOptionsFrom(this.config, { ...metadata, ...e.metadata }, e.contentType);
      checkPublishCapabilities(options, this.capabilities);
      this.checkSize(topic, e.event, options);
      return this.publisher.publish(topic, e.event, options);
    });
    const failures: BulkFailure[] = [];
    results.forEach((r, i) => {
      if (r.status === 'rejected') failures.push({ entryId: (entries[i] as BulkEntry).entryId, error: (r.reason as Error).message });
    });
    return failures;
  }

  /** `fail` ends the stream when the broker refuses the subscription (SUBACK >= 0x80). */
  subscribe(topic: string, metadata: Meta, deliver: Deliver, fail?: FailSubscription): TopicSubscription {
    if (this.closed) throw new ComponentError('ERR_SHUTTING_DOWN', 'the component is shutting down');
    checkTopicFilter(topic);
    const filter = this.brokerFilter(topic);
    const qos = subscribeQosFrom(this.config, metadata);
    let n = 0;
    const taken = new Set([...this.subscriptions].map((s) => s.clientId));
    while (taken.has(subscriberClientId(this.clientIdBase, filter, n))) n += 1;
    const clientId = subscriberClientId(this.clientIdBase, filter, n);
    const expiry = this.config.sessionExpiryInterval;
    // MQTT 5: a session that outlives the connection is a persistent one (Clean Start 0).
    const cleanSession = expiry === undefined ? this.config.cleanSession : expiry === 0;
    const logger = this.logger.child({ subscription: filter });
    const sub = new TopicSubscription({
      link: openMqttLink({ connection: this.config.connection, clientId, clean: cleanSession, sessionExpirySec: expiry, logger }),
      cleanSession,
      filter,
      // Our own $share prefix can go when an MQTT 5 broker says it has no shared subscriptions.
      unsharedFilter: filter === topic ? undefined : topic,
      onNoSharedSubscriptions: () => {
        if (this.warnedNoSharedSubscriptions) return;
        this.warnedNoSharedSubscriptions = true;
        this.logger.warn(
          { broker: this.config.connection.displayAddress },
          'the broker has no shared subscriptions (CONNACK Shared Subscription Available = 0): subscribing without $share/<consumerID>/, so every replica gets every message',
        );
      },
      fail,
      qos,
      redelivery: { initialMs: this.config.redeliveryInitialDelayMs, maxMs: this.config.redeliveryMaxDelayMs },
      maxBuffered: this.config.maxBufferedMessages,
      deliveryReadAhead: this.config.deliveryReadAhead,
      maxDeliverySize: this.config.maxDeliverySize,
      logger,
      deliver,
      metrics: this.metrics,
    });
    if (this.paused) sub.pause();
    this.subscriptions.add(sub);
    this.logger.info({ filter, qos }, 'subscribed');
    return sub;
  }

  /**
   * Replicas of one app (one consumerID) compete for messages through the MQTT shared
   * subscription `$share/<consumerID>/<topic>`; other apps, other groups, each get every
   * message. A topic that already names a share group is used as it is. On a broker without
   * shared subscriptions (found at Init) the topic is subscribed plainly (broker-requirements.ts).
   */
  private brokerFilter(topic: string): string {
    return subscriptionFilter(topic, this.config, this.capabilities, this.logger);
  }

  async unsubscribe(sub: TopicSubscription): Promise<void> {
    this.subscriptions.delete(sub);
    await sub.close();
  }

  /** Stops handing new messages to daprd (graceful shutdown); acks still settle. Idempotent. */
  pause(): void {
    this.paused = true;
    for (const s of this.subscriptions) s.pause();
  }

  resume(): void {
    this.paused = false;
    for (const s of this.subscriptions) s.resume();
  }

  /** True while the publisher's broker link is up (readiness). */
  get connected(): boolean {
    return !this.closed && this.publisher.connected;
  }

  /** Healthy when the publisher link is up; the error says why not. */
  ping(): void {
    if (this.closed) throw new ComponentError('ERR_SHUTTING_DOWN', 'the component is shutting down');
    if (!this.publisher.connected) {
      const cause = this.publisherLink.lastError;
      throw new ComponentError('ERR_BROKER_UNREACHABLE', `not connected to broker ${this.config.connection.displayAddress}${cause ? `: ${cause.message}` : ''}`);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.publisher.close();
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.subscriptions.clear();
    await this.publisherLink.close();
  }
}
