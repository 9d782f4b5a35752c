import type { Client } from 'aedes';

/**
 * The largest CONNECT accepted, whatever MQTT_BROKER_MAX_PACKET_SIZE says: a peer that has not
 * logged in yet may not make the broker buffer more than this (client id, credentials and a
 * will message fit easily).
 */
export const MAX_CONNECT_PACKET_SIZE = 64 * 1024;

/** What Aedes' client keeps of its mqtt-packet parser (lib/client.js). */
interface ClientInternals {
  _parser?: { parse(buf: Buffer): unknown };
}

/** Thrown into the client: Aedes ends the connection and emits `clientError`/`connectionError` once. */
export class PacketTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PacketTooLargeError';
  }
}

/**
 * Tracks MQTT packet boundaries in the byte stream, from each fixed header's Remaining Length
 * [MQTT-2.2.3], and reports a packet larger than allowed as soon as its header arrives.
 * Returns the reason, or undefined while every packet is within limits.
 */
export function createPacketSizeScanner(maxPacketSize: number, maxConnectSize = MAX_CONNECT_PACKET_SIZE): (chunk: Buffer) => string | undefined {
  let header: number[] = [];
  let bodyLeft = 0;
  let packets = 0;
  return (chunk) => {
    let i = 0;
    while (i < chunk.length) {
      if (bodyLeft > 0) {
        const n = Math.min(bodyLeft, chunk.length - i);
        bodyLeft -= n;
        i += n;
        continue;
      }
      const byte = chunk[i++]!;
      header.push(byte);
      if (header.length === 1) continue; // packet type and flags
      if ((byte & 0x80) !== 0) {
        // [MQTT-2.2.3] at most four Remaining Length bytes
        if (header.length === 5) return 'malformed packet: Remaining Length longer than 4 bytes';
        continue;
      }
      let length = 0;
      for (let k = header.length - 1; k >= 1; k--) length = length * 128 + (header[k]! & 0x7f);
      const size = header.length + length;
      const limit = packets === 0 ? Math.min(maxConnectSize, maxPacketSize) : maxPacketSize;
      if (size > limit) {
        return packets === 0
          ? `first packet of ${size} bytes is larger than the ${limit} bytes allowed before CONNECT completes`
          : `packet of ${size} bytes exceeds MQTT_BROKER_MAX_PACKET_SIZE (${maxPacketSize} bytes)`;
      }
      packets += 1;
      header = [];
      bodyLeft = length;
    }
    return undefined;
  };
}

/**
 * Refuses oversized packets before Aedes' parser buffers them: every chunk the client reads
 * goes through the scanner first, and a chunk that starts an oversized packet never reaches
 * the parser; the client gets the error, which ends its connection (MQTT 3.1.1 has no way to
 * tell it why). Install on each client right after `aedes.handle()` created it.
 */
export function guardPacketSize(client: Client, maxPacketSize: number): void {
  const parser = (client as unknown as ClientInternals)._parser;
  if (!parser || typeof parser.parse !== 'function') {
    throw new Error('aedes client has no _parser.parse: the packet size guard needs updating for this Aedes version');
  }
  const scan = createPacketSizeScanner(maxPacketSize);
  const parse = parser.parse.bind(parser);
  let refused = false;
  parser.parse = (buf: Buffer) => {
    if (refused) return 0;
    const problem = scan(buf);
    if (problem === undefined) return parse(buf);
    refused = true;
    client.emit('error', new PacketTooLargeError(problem));
    return 0;
  };
}
