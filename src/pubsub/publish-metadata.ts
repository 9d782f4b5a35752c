import type { PubSubConfig, QoS } from '../config/pubsub-config.js';
import { ComponentError } from '../errors/component-error.js';
import type { PublishOptions } from '../mqtt/publisher.js';

type Meta = Readonly<Record<string, string>> | undefined;

function bad(key: string, value: string, expected: string): ComponentError {
  return new ComponentError('ERR_PUBLISH_METADATA_INVALID', `publish metadata "${key}" is "${value}": expected ${expected}`, { field: `metadata.${key}` });
}

/**
 * Publish metadata keys the component interprets. With MQTT 5 every other key (`traceparent`,
 * `tracestate`, an app's own, ...) travels as a user property.
 */
export const INTERPRETED_PUBLISH_METADATA: ReadonlySet<string> = new Set(['qos', 'retain', 'ttlInSeconds', 'contentType']);

/** Largest Message Expiry Interval (a four byte integer, MQTT 5 §3.3.2.3.3). */
const MAX_EXPIRY_SEC = 0xffff_ffff;

/** An MQTT 5 UTF-8 string: at most 65,535 bytes, no U+0000 [MQTT-1.5.4-1, MQTT-1.5.4-2]. */
function isMqttString(s: string): boolean {
  return Buffer.byteLength(s) <= 65_535 && !s.includes('\u0000');
}

function notMqttString(key: string, what: string): ComponentError {
  return new ComponentError('ERR_PUBLISH_METADATA_INVALID', `publish metadata "${key.slice(0, 100)}" cannot be an MQTT 5 ${what}: at most 65535 bytes of UTF-8, without NUL`, {
    field: `metadata.${key.slice(0, 100)}`,
  });
}

/**
 * MQTT 5 PUBLISH properties from Dapr publish metadata: `ttlInSeconds` → Message Expiry
 * Interval, the content type (the request's `content_type`, else metadata `contentType`) →
 * Content Type, every key not interpreted → a User Property, in metadata order.
 */
function publishProperties(metadata: Meta, contentType: string | undefined): PublishOptions['properties'] {
  const properties: NonNullable<PublishOptions['properties']> = {};
  const ttl = metadata?.ttlInSeconds;
  if (ttl !== undefined && ttl !== '') {
    const t = ttl.trim();
    if (!/^\d+$/.test(t) || Number(t) < 1 || Number(t) > MAX_EXPIRY_SEC) throw bad('ttlInSeconds', ttl, `whole seconds from 1 to ${MAX_EXPIRY_SEC}`);
    properties.messageExpiryInterval = Number(t);
  }
  const type = contentType !== undefined && contentType !== '' ? contentType : metadata?.contentType;
  if (type !== undefined && type !== '') {
    if (!isMqttString(type)) throw notMqttString('contentType', 'content type');
    properties.contentType = type;
  }
  // No prototype: a key such as "__proto__" is a property like any other.
  const user: Record<string, string> = Object.create(null) as Record<string, string>;
  let any = false;
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (INTERPRETED_PUBLISH_METADATA.has(key)) continue;
    if (!isMqttString(key) || !isMqttString(value)) throw notMqttString(key, 'user property');
    user[key] = value;
    any = true;
  }
  if (any) properties.userProperties = user;
  return properties;
}

/**
 * Per-request `qos`/`retain` over the component defaults; with MQTT 5 also the PUBLISH
 * properties (`contentType` is PublishRequest.content_type, which daprd may leave empty).
 */
export function publishOptionsFrom(config: PubSubConfig, metadata: Meta, contentType?: string): PublishOptions {
  let qos: QoS = config.qos;
  let retain = config.retain;
  const q = metadata?.qos;
  if (q !== undefined && q !== '') {
    if (!/^[012]$/.test(q.trim())) throw bad('qos', q, '0, 1 or 2');
    qos = Number(q.trim()) as QoS;
  }
  const r = metadata?.retain;
  if (r !== undefined && r !== '') {
    const v = r.trim().toLowerCase();
    if (v !== 'true' && v !== 'false') throw bad('retain', r, 'true or false');
    retain = v === 'true';
  }
  if (config.connection.protocolVersion === 5) return { qos, retain, properties: publishProperties(metadata, contentType) };
  return { qos, retain };
}

/** Subscription metadata `qos` over the component default. */
export function subscribeQosFrom(config: PubSubConfig, metadata: Meta): QoS {
  const q = metadata?.qos;
  if (q === undefined || q === '') return config.qos;
  if (!/^[012]$/.test(q.trim())) {
    throw new ComponentError('ERR_SUBSCRIBE_METADATA_INVALID', `subscription metadata "qos" is "${q}": expected 0, 1 or 2`, { field: 'topic.metadata.qos' });
  }
  return Number(q.trim()) as QoS;
}
