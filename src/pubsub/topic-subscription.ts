import type { IPublishPacket } from 'mqtt';
import type { ConnectionConfig } from '../config/connection-config.js';
import type { QoS } from '../config/pubsub-config.js';
import type { Logger } from '../logging/logger.js';
import { openConnection, type Connection } from '../mqtt/open-connection.js';
import { takeOverAcks, type ManualAcks } from '../mqtt/manual-acks.js';
import { backoffDelay } from '../mqtt/reconnect-backoff.js';
import type { Deliver } from './delivery.js';
import { RecentlyAcked, samePublish } from './recently-acked.js';

export interface TopicSubscriptionOptions {
  readonly connection: ConnectionConfig;
  readonly clientId: string;
  readonly cleanSession: boolean;
  readonly filter: string;
  readonly qos: QoS;
  readonly redelivery: { initialMs: number; maxMs: number };
  readonly maxBuffered: number;
  /** Largest message daprd can take; larger ones are logged and acknowledged, not delivered. */
  readonly maxDeliverySize: number;
  readonly logger: Logger;
  readonly deliver: Deliver;
}

interface Entry {
  readonly packet: IPublishPacket;
  /** Link generation the message arrived on; its PUBACK is only valid on that link. */
  epoch: number;
  /** Failed deliveries so far (nacks). */
  attempts: number;
  /** Id of the current delivery to daprd. */
  id: string;
}

/**
 * One Dapr topic subscription over its own MQTT connection. Messages go to daprd one at a
 * time in arrival order; the PUBACK waits for daprd's success ack; a nack sends the same
 * message again after a bounded exponential backoff. The subscription never ends by itself:
 * link losses are repaired underneath it.
 */
export class TopicSubscription {
  private readonly conn: Connection;
  private readonly acks: ManualAcks;
  private readonly queue: Entry[] = [];
  private current: Entry | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly readMoreWaiters: Array<() => void> = [];
  /** Recently settled QoS 1 messages (persistent sessions only), to recognise resends. */
  private readonly recent = new RecentlyAcked();
  private paused = false;
  private closed = false;
  private nextId = 1;

  constructor(private readonly o: TopicSubscriptionOptions) {
    this.conn = openConnection(o.connection, o.clientId, o.cleanSession, o.logger);
    this.acks = takeOverAcks(this.conn.client, (packet, epoch, readMore) => this.onPublish(packet, epoch, readMore));
    // Sent once the link is up; MQTT.js repeats it after a reconnect whose session is gone
    // (and only then, so a resumed session gets no duplicate SUBSCRIBE and no retained replay).
    this.subscribe();
    this.conn.client.on('connect', (connack) => {
      // Without a session the broker resends nothing: nothing to recognise.
      if (!connack.sessionPresent) this.recent.clear();
    });
  }

  get clientId(): string {
    return this.o.clientId;
  }

  /** Settles the message with this id: success sends its PUBACK, a failure schedules a redelivery. */
  ack(id: string, error: string | undefined): boolean {
    const entry = this.current;
    if (!entry || entry.id !== id) return false;
    this.current = undefined;
    if (error === undefined) {
      this.settle(entry);
      this.pump();
    } else {
      entry.attempts += 1;
      const delay = backoffDelay(entry.attempts - 1, this.o.redelivery);
      this.o.logger.debug({ topic: entry.packet.topic, attempts: entry.attempts, delay }, 'nacked; redelivering after backoff');
      this.queue.unshift(entry);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.pump();
      }, delay);
    }
    return true;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.pump();
  }

  /** Stops without acknowledging what daprd has not acked: the broker keeps it for next time. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.conn.close();
  }

  private subscribe(): void {
    this.conn.client.subscribe(this.o.filter, { qos: this.o.qos }, (err, granted) => {
      const refused = granted?.some((g) => g.qos === 128);
      if (err || refused) {
        this.o.logger.error({ filter: this.o.filter, error: err?.message ?? 'SUBACK 0x80' }, 'broker refused the subscription');
      }
    });
  }

  private onPublish(packet: IPublishPacket, epoch: number, readMore: () => void): void {
    if (packet.qos === 1 && !this.o.cleanSession && this.adoptResent(packet, epoch)) {
      readMore();
      return;
    }
    this.queue.push({ packet, epoch, attempts: 0, id: '' });
    if (this.buffered() < this.o.maxBuffered) readMore();
    else this.readMoreWaiters.push(readMore);
    this.pump();
  }

  /**
   * The broker resends unacknowledged messages when a persistent session resumes (Mosquitto
   * with DUP set, Aedes without). A resend of a message we still hold takes the new link's
   * PUBACK instead of reaching daprd twice; a resend of one daprd already acked (its PUBACK
   * was lost with the old link) is simply acknowledged again. Matched on packet id, topic and
   * payload, from an earlier link only.
   */
  private adoptResent(packet: IPublishPacket, epoch: number): boolean {
    const held = [this.current, ...this.queue].find((e) => e !== undefined && e.epoch < epoch && samePublish(e.packet, packet));
    if (held) {
      held.epoch = epoch;
      return true;
    }
    if (this.recent.takeResend(packet, epoch)) {
      this.acks.ack(packet.messageId as number, 1, epoch);
      return true;
    }
    return false;
  }

  private settle(entry: Entry): void {
    const { packet } = entry;
    if (packet.qos === 0 || packet.messageId === undefined) return;
    this.acks.ack(packet.messageId, packet.qos as 1 | 2, entry.epoch);
    if (packet.qos === 1 && !this.o.cleanSession) this.recent.add(packet, entry.epoch);
  }

  /** daprd cannot receive it: say so, acknowledge it so it does not come back, move on. */
  private tooLargeAtHead(): boolean {
    const head = this.queue[0];
    if (!head || this.current || this.closed) return false;
    const size = (head.packet.payload as Buffer).length + 2 * Buffer.byteLength(head.packet.topic) + 256;
    if (size <= this.o.maxDeliverySize) return false;
    this.queue.shift();
    this.o.logger.error(
      { topic: head.packet.topic, bytes: (head.packet.payload as Buffer).length, maxDeliverySize: this.o.maxDeliverySize },
      'message too large for daprd (maxDeliverySize): dropped and acknowledged',
    );
    this.settle(head);
    if (this.buffered() < this.o.maxBuffered) this.readMoreWaiters.shift()?.();
    return true;
  }

  private buffered(): number {
    return this.queue.length + (this.current ? 1 : 0);
  }

  private pump(): void {
    while (this.tooLargeAtHead()) {
      /* dropped (logged and acknowledged) */
    }
    if (this.closed || this.paused || this.current || this.retryTimer || this.queue.length === 0) return;
    const entry = this.queue.shift() as Entry;
    this.current = entry;
    entry.id = String(this.nextId++);
    if (this.buffered() < this.o.maxBuffered) this.readMoreWaiters.shift()?.();
    const { packet } = entry;
    this.o.deliver({
      id: entry.id,
      topic: packet.topic,
      payload: packet.payload as Buffer,
      metadata: {
        topic: packet.topic,
        retained: String(packet.retain),
        qos: String(packet.qos),
        dup: String(packet.dup || entry.attempts > 0),
      },
    });
  }
}
