import type { IPublishPacket } from 'mqtt';

const MAX_ENTRIES = 1024;
const MAX_BYTES = 16 * 1024 * 1024;

/** Same message: packet id, topic and payload. */
export function samePublish(a: IPublishPacket, b: IPublishPacket): boolean {
  return a.messageId === b.messageId && a.topic === b.topic && Buffer.compare(a.payload as Buffer, b.payload as Buffer) === 0;
}

/**
 * The last QoS 1 messages daprd acked, keyed by packet id, bounded in count and bytes. Lets a
 * subscription recognise the broker resending a message whose PUBACK died with the old link.
 */
export class RecentlyAcked {
  private readonly byId = new Map<number, { packet: IPublishPacket; epoch: number }>();
  private bytes = 0;

  add(packet: IPublishPacket, epoch: number): void {
    const id = packet.messageId as number;
    this.remove(id);
    this.byId.set(id, { packet, epoch });
    this.bytes += (packet.payload as Buffer).length;
    for (const oldest of this.byId.keys()) {
      if (this.byId.size <= MAX_ENTRIES && this.bytes <= MAX_BYTES) break;
      this.remove(oldest);
    }
  }

  /** True (and forgets it) when `packet`, arriving on link `epoch`, resends one acked on an earlier link. */
  takeResend(packet: IPublishPacket, epoch: number): boolean {
    const id = packet.messageId as number;
    const hit = this.byId.get(id);
    if (!hit || hit.epoch >= epoch || !samePublish(hit.packet, packet)) return false;
    this.remove(id);
    return true;
  }

  clear(): void {
    this.byId.clear();
    this.bytes = 0;
  }

  private remove(id: number): void {
    const hit = this.byId.get(id);
    if (!hit) return;
    this.byId.delete(id);
    this.bytes -= (hit.packet.payload as Buffer).length;
  }
}
