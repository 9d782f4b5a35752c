import type { QoS } from '../config/pubsub-config.js';
import type { Logger } from '../logging/logger.js';
import type { InboundMessage, LinkUp, MqttLink } from '../mqtt/mqtt-link.js';
import { backoffDelay } from '../mqtt/reconnect-backoff.js';
import { brokerRefusal } from '../mqtt/reason-codes.js';
import type { Deliver, FailSubscription } from './delivery.js';
import { RecentlyAcked, samePublish } from './recently-acked.js';
import { NO_PUBSUB_METRICS, type PubSubMetrics } from '../metrics/component-metrics.js';

export interface TopicSubscriptionOptions {
  /** This subscription's own link (its own client id and session); closed with the subscription. */
  readonly link: MqttLink;
  /** Whether the link's session is clean (then the broker resends nothing after a reconnect). */
  readonly cleanSession: boolean;
  readonly filter: string;
  /** `filter` without the `$share/<group>/` the component added, for a broker without shared subscriptions. */
  readonly unsharedFilter?: string;
  /** Called when an MQTT 5 broker announces no shared subscriptions and `unsharedFilter` is used. */
  readonly onNoSharedSubscriptions?: () => void;
  /** Ends the stream: the broker refused the subscription (SUBACK >= 0x80). */
  readonly fail?: FailSubscription;
  readonly qos: QoS;
  readonly redelivery: { initialMs: number; maxMs: number };
  readonly maxBuffered: number;
  /** Deliveries handed to daprd before the first is acked (`deliveryReadAhead`); default 1, one at a time. */
  readonly deliveryReadAhead?: number;
  /** Largest message daprd can take; larger ones are logged and acknowledged, not delivered. */
  readonly maxDeliverySize: number;
  readonly logger: Logger;
  readonly deliver: Deliver;
  /** Deliveries, acks, nacks, in flight, reconnects of this instance (default: not recorded). */
  readonly metrics?: PubSubMetrics;
}

interface Entry {
  /** The message; replaced by the broker's resend on a newer link (whose ack is the valid one). */
  message: InboundMessage;
  /** Failed deliveries so far (nacks). */
  attempts: number;
  /** Id of the current delivery to daprd. */
  id: string;
  /** MQTT 5 message expiry: Date.now() after which it must not reach daprd. */
  expiresAt?: number;
  /** Acked by daprd (or dropped): its PUBACK goes once every earlier message's has gone. */
  done: boolean;
  /** Arrival number. */
  seq: number;
}

/**
 * One Dapr topic subscription over its own MQTT connection. Messages go to daprd in arrival
 * order, up to `deliveryReadAhead` at a time (daprd handles a stream's messages one after another,
 * so a window > 1 only has the next one waiting when daprd acks); the PUBACK waits for daprd's
 * success ack, and PUBACKs go in arrival order; a nack sends the same message again after a
 * bounded exponential backoff. The subscription never ends by itself: link losses are repaired
 * underneath it.
 */
export class TopicSubscription {
  private readonly link: MqttLink;
  /** Waiting to go to daprd: arrival order, a nacked message back in front. */
  private readonly queue: Entry[] = [];
  /** With daprd, awaiting its ack, by delivery id. */
  private readonly inFlight = new Map<string, Entry>();
  /** Every message held (queued, with daprd, or acked behind an earlier unacked one), in arrival order. */
  private readonly held: Entry[] = [];
  private readonly readAhead: number;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly readMoreWaiters: Array<() => void> = [];
  /** Recently settled QoS 1 messages (persistent sessions only), to recognise resends. */
  private readonly recent = new RecentlyAcked();
  private paused = false;
  private closed = false;
  private nextId = 1;
  private arrivals = 0;
  /** Redeliveries with daprd (0 or 1). */
  private retrying = 0;
  private subscribed = false;
  private readonly metrics: PubSubMetrics;

  constructor(private readonly o: TopicSubscriptionOptions) {
    this.metrics = o.metrics ?? NO_PUBSUB_METRICS;
    this.readAhead = Math.max(1, o.deliveryReadAhead ?? 1);
    this.link = o.link;
    this.link.onMessage((message, readMore) => this.onPublish(message, readMore));
    this.link.onUp((up) => {
      if (up.reconnect) this.metrics.reconnected('subscriber');
      // Without a session the broker resends nothing: nothing to recognise.
      if (!up.sessionPresent) this.recent.clear();
      // Sent once the link is first up (its CONNACK says whether MQTT 5 shared subscriptions
      // exist); the link repeats it after a reconnect whose session is gone (and only then, so a
      // resumed session gets no duplicate SUBSCRIBE and no retained replay).
      if (!this.subscribed) {
        this.subscribed = true;
        this.subscribe(up);
      }
    });
  }

  get clientId(): string {
    return this.link.clientId;
  }

  /** Settles the message with this id: success sends its PUBACK, a failure schedules a redelivery. */
  ack(id: string, error: string | undefined): boolean {
    const entry = this.inFlight.get(id);
    if (!entry) return false;
    this.inFlight.delete(id);
    if (entry.attempts > 0) this.retrying -= 1;
    if (!this.closed) {
      if (error === undefined) this.metrics.acked();
      else this.metrics.nacked();
    }
    if (error === undefined) {
      entry.done = true;
      this.settleDone();
      this.pump();
    } else {
      entry.attempts += 1;
      const delay = backoffDelay(entry.attempts - 1, this.o.redelivery);
      this.o.logger.debug({ topic: entry.message.topic, attempts: entry.attempts, delay }, 'nacked; redelivering after backoff');
      // Back in the queue in arrival order (with a window, a later message may be nacked first).
      const before = this.queue.findIndex((e) => e.seq > entry.seq);
      this.queue.splice(before === -1 ? this.queue.length : before, 0, entry);
      clearTimeout(this.retryTimer);
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
    for (let n = this.inFlight.size; n > 0; n--) this.metrics.abandoned(); // never acked on this stream: no longer in flight
    clearTimeout(this.retryTimer);
    await this.link.close();
  }

  private subscribe(up: LinkUp): void {
    let filter = this.o.filter;
    if (!up.capabilities.sharedSubscriptionAvailable && this.o.unsharedFilter !== undefined) {
      filter = this.o.unsharedFilter;
      this.o.onNoSharedSubscriptions?.();
    }
    this.link.subscribe(filter, this.o.qos).then(
      ({ refused, reasonString }) => {
        if (refused === undefined || this.closed) return;
        // A refused subscription never delivers anything: end the stream with the reason, do not hang.
        const refusal = brokerRefusal('subscribe', refused, `to "${filter}"`, reasonString);
        this.o.logger.error({ filter, error: refusal.message }, 'broker refused the subscription');
        this.o.fail?.(refusal);
      },
      (err: unknown) => {
        if (!this.closed) this.o.logger.warn({ filter, error: (err as Error).message }, 'subscribe failed');
      },
    );
  }

  private onPublish(message: InboundMessage, readMore: () => void): void {
    if (message.qos === 1 && !this.o.cleanSession && this.adoptResent(message)) {
      readMore();
      return;
    }
    const expiry = message.properties?.messageExpiryInterval;
    // The broker sends what is left of the message's lifetime [MQTT-3.3.2-6].
    const entry: Entry = { message, attempts: 0, id: '', done: false, seq: this.arrivals++, ...(expiry === undefined ? {} : { expiresAt: Date.now() + expiry * 1000 }) };
    this.queue.push(entry);
    this.held.push(entry);
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
  private adoptResent(message: InboundMessage): boolean {
    // Only after a reconnect can a held message be older than this link (no array built per message).
    const older = (e: Entry | undefined): e is Entry => e !== undefined && e.message.generation < message.generation && samePublish(e.message, message);
    const held = this.held.find(older);
    if (held) {
      held.message = message;
      return true;
    }
    if (this.recent.takeResend(message)) {
      message.ack();
      return true;
    }
    return false;
  }

  /** PUBACKs for the done messages at the front of `held`: the broker sees them in arrival order. */
  private settleDone(): void {
    while (this.held[0]?.done) {
      const { message } = this.held.shift() as Entry;
      if (message.qos === 0 || message.messageId === undefined) continue;
      message.ack();
      if (message.qos === 1 && !this.o.cleanSession) this.recent.add(message);
    }
    while (this.buffered() < this.o.maxBuffered && this.readMoreWaiters.length > 0) this.readMoreWaiters.shift()?.();
  }

  /**
   * Drops the head of the queue when daprd must not get it, acknowledging it so the broker does
   * not send it again: too large for daprd (`maxDeliverySize`), or past its MQTT 5 message expiry
   * while the component still held it (buffered, paused, or waiting for a redelivery).
   */
  private droppedHead(): boolean {
    const head = this.queue[0];
    if (!head || this.closed) return false;
    const { topic, payload } = head.message;
    if (payload.length + 2 * Buffer.byteLength(topic) + 256 > this.o.maxDeliverySize) {
      this.o.logger.error({ topic, bytes: payload.length, maxDeliverySize: this.o.maxDeliverySize }, 'message too large for daprd (maxDeliverySize): dropped and acknowledged');
      this.metrics.dropped();
    } else if (head.expiresAt !== undefined && Date.now() >= head.expiresAt) {
      this.o.logger.debug({ topic, attempts: head.attempts }, 'message expired (MQTT 5 message expiry): dropped and acknowledged');
    } else {
      return false;
    }
    this.queue.shift();
    head.done = true;
    this.settleDone();
    return true;
  }

  private buffered(): number {
    return this.held.length;
  }

  private pump(): void {
    for (;;) {
      while (this.droppedHead()) {
        /* dropped (logged and acknowledged) */
      }
      if (this.closed || this.paused || this.retryTimer !== undefined || this.inFlight.size >= this.readAhead || this.queue.length === 0) return;
      // A redelivery goes alone: nothing else is handed over while a nacked message is retried,
      // so later messages wait behind it (beyond those daprd already had) as with no read-ahead.
      if (this.retrying > 0 || ((this.queue[0] as Entry).attempts > 0 && this.inFlight.size > 0)) return;
      this.deliver(this.queue.shift() as Entry);
    }
  }

  private deliver(entry: Entry): void {
    entry.id = String(this.nextId++);
    this.inFlight.set(entry.id, entry);
    if (entry.attempts > 0) this.retrying += 1;
    const { message } = entry;
    this.metrics.delivered(entry.attempts > 0);
    this.o.deliver({
      id: entry.id,
      topic: message.topic,
      payload: message.payload,
      metadata: {
        // MQTT 5 user properties first: the component's own keys below win over a namesake.
        ...userPropertiesOf(message),
        topic: message.topic,
        retained: String(message.retain),
        qos: String(message.qos),
        dup: String(message.dup || entry.attempts > 0),
      },
      ...(message.properties?.contentType === undefined ? {} : { contentType: message.properties.contentType }),
    });
  }
}

/** MQTT 5 user properties as Dapr metadata; a key sent several times gets its values joined with ",". */
function userPropertiesOf(message: InboundMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(message.properties?.userProperties ?? {})) {
    out[key] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return out;
}
