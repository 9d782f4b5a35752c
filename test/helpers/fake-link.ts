/**
 * An in-memory MqttLink for unit tests of what sits on the link (Publisher, TopicSubscription,
 * StateClient): the test brings the link up and down, sees every publish and completes it,
 * injects inbound messages and sees their acks, answers subscriptions.
 */
import type {
  InboundHandler,
  InboundMessage,
  InboundProperties,
  LinkCapabilities,
  LinkPublishOptions,
  LinkUp,
  MqttLink,
  PublishCallback,
  PublishFailure,
  PublishHandle,
  QoS,
  SubscribeResult,
} from '../../src/mqtt/mqtt-link.js';

export interface FakePublish extends PublishHandle {
  readonly topic: string;
  readonly payload: Buffer;
  readonly options: LinkPublishOptions;
  readonly cancelled: boolean;
  /** Completed or cancelled. */
  readonly done: boolean;
  /** Completes it (the broker's PUBACK, or a failure). */
  complete(failure?: PublishFailure): void;
}

export const V4_CAPABILITIES: LinkCapabilities = {
  protocolVersion: 4,
  receiveMaximum: 65_535,
  maximumPacketSize: undefined,
  sharedSubscriptionAvailable: true,
  retainAvailable: true,
  maximumQoS: 2,
};

export interface InjectOptions {
  readonly qos?: QoS;
  readonly messageId?: number;
  readonly dup?: boolean;
  readonly retain?: boolean;
  readonly properties?: InboundProperties;
}

export class FakeLink implements MqttLink {
  ready = false;
  capabilities: LinkCapabilities | undefined;
  lastError: Error | undefined;
  generation = 0;
  readonly publishes: FakePublish[] = [];
  /** Acks sent, as `<messageId>@<generation>`, in order. */
  readonly acks: string[] = [];
  readonly subscriptions: Array<{ filter: string; qos: QoS }> = [];
  readonly reauths: Array<{ method: string; data: Buffer }> = [];
  /** The SUBACK verdict for a filter (default: granted). */
  subackFor: (filter: string) => SubscribeResult = () => ({ refused: undefined, reasonString: undefined });
  /** readMore calls not yet made: inbound messages the consumer holds back. */
  unread = 0;
  closed = false;
  private readonly upListeners: Array<(up: LinkUp) => void> = [];
  private readonly downListeners: Array<() => void> = [];
  private inbound: InboundHandler | undefined;

  constructor(readonly clientId = 'fake-client') {}

  onUp(listener: (up: LinkUp) => void): void {
    this.upListeners.push(listener);
  }
  onDown(listener: () => void): void {
    this.downListeners.push(listener);
  }
  onMessage(handler: InboundHandler): void {
    this.inbound = handler;
  }

  /** Brings a (new) link up: generation +1, listeners called. */
  up(options: { sessionPresent?: boolean; capabilities?: Partial<LinkCapabilities> } = {}): void {
    this.generation += 1;
    this.ready = true;
    this.capabilities = { ...V4_CAPABILITIES, ...options.capabilities };
    const up: LinkUp = { generation: this.generation, reconnect: this.generation > 1, sessionPresent: options.sessionPresent ?? false, capabilities: this.capabilities };
    for (const l of this.upListeners) l(up);
  }

  down(): void {
    this.ready = false;
    for (const l of this.downListeners) l();
  }

  publish(topic: string, payload: Buffer, options: LinkPublishOptions, callback: PublishCallback): PublishHandle {
    let done = false;
    let cancelled = false;
    const link = this;
    const wasUp = this.ready;
    const p: FakePublish = {
      topic,
      payload,
      options,
      messageId: options.qos > 0 ? this.publishes.length + 1 : undefined,
      /** Sent when the link was up at the call, or came up since. */
      get sent() {
        return wasUp || link.ready;
      },
      get cancelled() {
        return cancelled;
      },
      get done() {
        return done;
      },
      cancel() {
        if (done) return false;
        done = true;
        cancelled = true;
        return true;
      },
      complete(failure) {
        if (done) return;
        done = true;
        callback(failure);
      },
    };
    this.publishes.push(p);
    return p;
  }

  /** Publishes not yet completed nor cancelled. */
  open(): FakePublish[] {
    return this.publishes.filter((p) => !p.done);
  }

  inject(topic: string, payload: Buffer | string, o: InjectOptions = {}): InboundMessage {
    const generation = this.generation;
    const qos = o.qos ?? 1;
    const messageId = qos > 0 ? (o.messageId ?? 1) : undefined;
    const message: InboundMessage = {
      topic,
      payload: Buffer.isBuffer(payload) ? payload : Buffer.from(payload),
      qos,
      retain: o.retain ?? false,
      dup: o.dup ?? false,
      messageId,
      properties: o.properties,
      generation,
      ack: () => {
        if (qos === 0) return true;
        if (generation !== this.generation || !this.ready) return false;
        this.acks.push(`${messageId}@${generation}`);
        return true;
      },
    };
    this.unread += 1;
    this.inbound?.(message, () => {
      this.unread -= 1;
    });
    return message;
  }

  subscribe(filter: string, qos: QoS): Promise<SubscribeResult> {
    this.subscriptions.push({ filter, qos });
    return Promise.resolve(this.subackFor(filter));
  }

  reauthenticate(method: string, data: Buffer): void {
    this.reauths.push({ method, data });
  }

  waitUntilUp(): Promise<void> {
    return this.ready ? Promise.resolve() : Promise.reject(new Error('fake link is down'));
  }

  close(): Promise<void> {
    this.closed = true;
    this.ready = false;
    return Promise.resolve();
  }
}
