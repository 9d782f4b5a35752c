/** Bytes of the "remaining length" field for a given remaining length (MQTT 3.1.1 §2.2.3). */
function varIntBytes(n: number): number {
  return n < 128 ? 1 : n < 16_384 ? 2 : n < 2_097_152 ? 3 : 4;
}

/** Size on the wire of a PUBLISH packet at QoS > 0 (the larger case): header, topic, id, payload. */
export function mqttPublishPacketSize(topic: string, payloadBytes: number): number {
  const remaining = 2 + Buffer.byteLength(topic) + 2 + payloadBytes;
  return 1 + varIntBytes(remaining) + remaining;
}
