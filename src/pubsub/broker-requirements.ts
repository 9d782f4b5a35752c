import type { PubSubConfig } from '../config/pubsub-config.js';
import type { Logger } from '../logging/logger.js';
import { ComponentError } from '../errors/component-error.js';
import { capabilitiesFromConnack, probeCapabilities, type BrokerCapabilities } from '../mqtt/broker-capabilities.js';
import type { MqttLink } from '../mqtt/mqtt-link.js';
import type { PublishOptions } from '../mqtt/publisher.js';

/** Upper bound of the MQTT 3.1.1 probe at Init. */
export const PROBE_TIMEOUT_MS = 1_500;
/** daprd gives Init 5 s: connecting and probing together stay inside this (the probe gets at least 250 ms). */
const INIT_BUDGET_MS = 4_500;
const MIN_PROBE_MS = 250;

/**
 * Learns what the broker of a freshly connected publisher does (MQTT 5: its CONNACK; MQTT
 * 3.1.1: a probe on a private topic), then refuses at once a configuration it cannot honour:
 * `qos` 2 on a broker that grants at most 1 (NATS 2.9 closes the link on a QoS 2 PUBLISH,
 * RabbitMQ downgrades it), `retain` on one without retained messages. What can be adapted is
 * adapted and logged: no shared subscriptions → plain subscriptions (every replica gets every
 * message), never a `$share` filter that silently matches nothing.
 */
export async function learnBrokerCapabilities(link: MqttLink, config: PubSubConfig, logger: Logger, initStartedAt = Date.now()): Promise<BrokerCapabilities> {
  const probeMs = Math.max(MIN_PROBE_MS, Math.min(PROBE_TIMEOUT_MS, INIT_BUDGET_MS - (Date.now() - initStartedAt)));
  const capabilities =
    config.connection.protocolVersion === 5
      ? capabilitiesFromConnack(link.capabilities)
      : // Shared subscriptions are probed even when off: a topic may name its own `$share/<group>/`.
        await probeCapabilities(link, { timeoutMs: probeMs, shared: true });
  const broker = config.connection.displayAddress;
  if (capabilities.maximumQoS !== undefined && config.qos > capabilities.maximumQoS) {
    throw new ComponentError(
      'ERR_BROKER_QOS_UNSUPPORTED',
      `metadata field "qos" is ${config.qos}, but broker ${broker} grants at most QoS ${capabilities.maximumQoS} (${capabilities.source === 'connack' ? 'CONNACK Maximum QoS' : 'SUBACK of a QoS 2 probe subscription'}): set qos to ${capabilities.maximumQoS === 0 ? '0' : '0 or 1'}`,
      { field: 'qos' },
    );
  }
  if (capabilities.retainAvailable === false && config.retain) {
    throw new ComponentError('ERR_BROKER_RETAIN_UNSUPPORTED', `metadata field "retain" is true, but broker ${broker} has no retained messages (CONNACK Retain Available = 0): set retain to false`, {
      field: 'retain',
    });
  }
  if (capabilities.inconclusive !== undefined) {
    logger.warn(
      { broker, why: capabilities.inconclusive },
      'could not find out what the broker supports (shared subscriptions, QoS 2): relying on the configuration; a $share subscription on a broker without shared subscriptions would receive nothing',
    );
  }
  if (config.sharedSubscriptions && capabilities.sharedSubscriptions === false) warnNoSharedSubscriptions(logger, broker, capabilities);
  logger.info({ broker, capabilities }, 'broker capabilities');
  return capabilities;
}

function warnNoSharedSubscriptions(logger: Logger, broker: string, capabilities: BrokerCapabilities): void {
  logger.warn(
    { broker, source: capabilities.source },
    `the broker has no shared subscriptions (${capabilities.source === 'connack' ? 'CONNACK Shared Subscription Available = 0' : 'a $share probe subscription received nothing'}): subscribing without $share/<consumerID>/, so every replica of this app gets every message; set sharedSubscriptions to false to choose this explicitly`,
  );
}

/**
 * The filter to subscribe to for a Dapr topic: `$share/<consumerID>/<topic>` when shared
 * subscriptions are on and the broker has them; the topic itself when it has not (a `$share/`
 * the user wrote is taken off too: it would match nothing there).
 */
export function subscriptionFilter(topic: string, config: PubSubConfig, capabilities: BrokerCapabilities, logger: Logger): string {
  const unshared = stripShare(topic);
  if (capabilities.sharedSubscriptions === false) {
    if (unshared !== topic) {
      logger.warn({ topic, filter: unshared }, 'the broker has no shared subscriptions: subscribing to the topic without its $share/<group>/ prefix, so every subscriber gets every message');
    }
    return unshared;
  }
  if (!config.sharedSubscriptions || unshared !== topic) return topic;
  return `$share/${config.consumerID}/${topic}`;
}

/** `$share/<group>/<filter>` → `<filter>`; anything else unchanged. */
export function stripShare(topic: string): string {
  const match = /^\$share\/[^/]+\/(.+)$/.exec(topic);
  return match ? (match[1] as string) : topic;
}

/**
 * A per-request `qos`/`retain` the broker cannot honour fails at once with FAILED_PRECONDITION
 * naming the metadata key: sending it would end in a dropped link and a retriable timeout.
 */
export function checkPublishCapabilities(options: PublishOptions, capabilities: BrokerCapabilities): void {
  const max = capabilities.maximumQoS;
  if (max !== undefined && options.qos > max) {
    throw new ComponentError('ERR_PUBLISH_QOS_UNSUPPORTED', `publish qos ${options.qos} is above the broker's maximum QoS ${max}: publish with metadata qos ${max === 0 ? '0' : '0 or 1'}`, {
      field: 'metadata.qos',
    });
  }
  if (options.retain && capabilities.retainAvailable === false) {
    throw new ComponentError('ERR_PUBLISH_RETAIN_UNSUPPORTED', 'the broker has no retained messages (CONNACK Retain Available = 0): publish with metadata retain false', {
      field: 'metadata.retain',
    });
  }
}
