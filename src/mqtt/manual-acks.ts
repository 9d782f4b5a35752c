import type { IPublishPacket, MqttClient, Packet } from 'mqtt';

/** Called for each inbound PUBLISH; call `readMore` when the next packet may be read. */
export type InboundHandler = (packet: IPublishPacket, epoch: number, readMore: () => void) => void;

export interface ManualAcks {
  /** Connection generation: +1 on every CONNACK. A PUBACK is only valid in its own generation. */
  readonly epoch: () => number;
  /**
   * Sends the PUBACK (QoS 1) or PUBCOMP (QoS 2) held for a message received in `epoch`.
   * Returns false when it cannot be sent: the link changed since, so the broker will resend the
   * message (persistent session) or has forgotten it (clean session).
   */
  ack(messageId: number, qos: 1 | 2, epoch: number): boolean;
}

type SendPacket = (packet: Packet, cb?: (err?: Error) => void, cbStorePut?: () => void, noStore?: boolean) => void;

/**
 * MQTT.js acknowledges a message as soon as `handleMessage` calls back, and reads no further
 * packet until it has. We need the opposite: keep reading (keepalive, prefetch) while the
 * PUBACK waits for daprd's ack. So MQTT.js's own PUBACK/PUBCOMP for a message we took is
 * swallowed, and we send it ourselves later through the client's packet writer.
 * This uses MQTT.js's internal `_sendPacket` (checked by the test suite on every upgrade).
 */
export function takeOverAcks(client: MqttClient, onMessage: InboundHandler): ManualAcks {
  const internals = client as unknown as { _sendPacket: SendPacket };
  const send: SendPacket = internals._sendPacket.bind(client);
  // messageId → how many acks MQTT.js will still generate for messages we took. Counted, not a
  // set: an id can be reused on a new link before the old message's generated ack comes by.
  const held = new Map<number, number>();
  let epoch = 0;

  client.on('connect', () => {
    epoch += 1;
  });

  internals._sendPacket = (packet, cb, cbStorePut, noStore) => {
    if (packet.cmd === 'puback' || packet.cmd === 'pubcomp') {
      const id = packet.messageId as number;
      const n = held.get(id);
      if (n !== undefined) {
        if (n <= 1) held.delete(id);
        else held.set(id, n - 1);
        cb?.();
        return;
      }
    }
    send(packet, cb, cbStorePut, noStore);
  };

  client.handleMessage = (packet, callback) => {
    if (packet.qos > 0 && packet.messageId !== undefined) {
      held.set(packet.messageId, (held.get(packet.messageId) ?? 0) + 1);
    }
    onMessage(packet, epoch, () => callback());
  };

  return {
    epoch: () => epoch,
    ack(messageId, qos, ackEpoch) {
      if (ackEpoch !== epoch || !client.connected) return false;
      send({ cmd: qos === 2 ? 'pubcomp' : 'puback', messageId } as Packet);
      return true;
    },
  };
}
