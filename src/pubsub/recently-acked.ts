import type { InboundMessage } from '../mqtt/mqtt-link.js';

/** What identifies a message across links, and the link it came on. */
type Seen = Pick<InboundMessage, 'messageId' | 'topic' | 'payload' | 'generation'>;

const MAX_ENTRIES = 1024;
const MAX_BYTES = 16 * 1024 * 1024;

/** Same message: packet id, topic and payload. */
export function samePublish(a: Seen, b: Seen): boolean {
  return a.messageId === b.messageId && a.topic === b.topic && Buffer.compare(a.payload, b.payload) === 0;
}

/**
 * The last QoS 1 messages daprd acked, keyed by packet id, bounded in count and bytes. Lets a
 * subscription recognise the broker resending a message whose PUBACK died with the old link.
 */
export class RecentlyAcked {
  private readonly byId = new Map<number, Seen>();
  private bytes = 0;

  add(message: Seen): void {
    const id = message.messageId as number;
    this.remove(id);
    this.byId.set(id, message);
    this.bytes += message.payload.length;
    for (const oldest of this.byId.keys()) {
      if (this.byId.size <= MAX_ENTRIES && this.bytes <= MAX_BYTES) break;
      this.remove(oldest);
    }
  }

  /** True (and forgets it) when `message` resends one acked on an earlier link. */
  takeResend(message: Seen): boolean {
    const id = message.messageId as number;
    const hit = this.byId.get(id);
    if (!hit || hit.generation >= message.generation || !samePublish(hit, message)) return false;
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
    this.bytes -= hit.payload.length;
  }
}
