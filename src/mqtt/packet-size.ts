import type { IClientPublishOptions } from 'mqtt';

/** Bytes of a variable byte integer such as the "remaining length" field (MQTT 3.1.1 §2.2.3, MQTT 5 §1.5.5). */
function varIntBytes(n: number): number {
  return n < 128 ? 1 : n < 16_384 ? 2 : n < 2_097_152 ? 3 : 4;
}

const utf8 = (s: string): number => 2 + Buffer.byteLength(s);

/** Bytes of the PUBLISH properties we send (MQTT 5 §3.3.2.3), without the length field before them. */
export function publishPropertiesSize(properties: NonNullable<IClientPublishOptions['properties']>): number {
  let n = 0;
  if (properties.payloadFormatIndicator !== undefined) n += 1 + 1;
  if (properties.messageExpiryInterval !== undefined) n += 1 + 4;
  if (properties.topicAlias !== undefined) n += 1 + 2;
  if (properties.responseTopic !== undefined) n += 1 + utf8(properties.responseTopic);
  if (properties.correlationData !== undefined) n += 1 + 2 + properties.correlationData.length;
  if (properties.contentType !== undefined) n += 1 + utf8(properties.contentType);
  for (const [key, value] of Object.entries(properties.userProperties ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) n += 1 + utf8(key) + utf8(String(v));
  }
  return n;
}

/**
 * Size on the wire of a PUBLISH packet at QoS > 0 (the larger case): header, topic, id, payload,
 * and with MQTT 5 the properties (`propertiesBytes`, from {@link publishPropertiesSize}).
 */
export function mqttPublishPacketSize(topic: string, payloadBytes: number, propertiesBytes?: number): number {
  const properties = propertiesBytes === undefined ? 0 : varIntBytes(propertiesBytes) + propertiesBytes;
  const remaining = 2 + Buffer.byteLength(topic) + 2 + properties + payloadBytes;
  return 1 + varIntBytes(remaining) + remaining;
}
