import type { IClientPublishOptions, IConnackPacket, MqttClient } from 'mqtt';
import { ComponentError } from '../errors/component-error.js';
import type { ErrorCode } from '../errors/codes.js';
import type { Connection } from './open-connection.js';
import { brokerRefusal, isFailureReasonCode } from './reason-codes.js';

export interface PublishOptions {
  qos: 0 | 1 | 2;
  retain: boolean;
  /** MQTT 5 PUBLISH properties (user properties, content type, message expiry, ...). */
  properties?: IClientPublishOptions['properties'];
}

/** Receive Maximum when the CONNACK does not name one [MQTT-3.2.2.3.3]. */
const DEFAULT_RECEIVE_MAXIMUM = 65_535;

/** How a publisher names its deadline, its limits and its failures (pub/sub by default). */
export interface PublisherLabels {
  readonly timeoutField: string;
  readonly unavailableCode: ErrorCode;
  /** RESOURCE_EXHAUSTED when `maxPending` already wait for a slot. */
  readonly overloadedCode: ErrorCode;
  /** What sets the in-flight and pending limits, for the error message. */
  readonly limitsName: string;
}

export const PUBSUB_LABELS: PublisherLabels = {
  timeoutField: 'publishTimeout',
  unavailableCode: 'ERR_PUBLISH_UNAVAILABLE',
  overloadedCode: 'ERR_PUBLISH_OVERLOADED',
  limitsName: 'maxInflightPublishes and maxPendingPublishes',
};

/** Publishes that may wait for an in-flight slot when no `maxPending` is given. */
export const DEFAULT_MAX_PENDING = 1024;

/**
 * Publishes over one connection: resolves when the broker acknowledged (QoS 1/2) or the packet
 * was written (QoS 0). Waits for the link and for an in-flight slot within `timeoutMs`, then
 * fails with UNAVAILABLE; a message that timed out is withdrawn so it is not sent later.
 * Bounded: at most `maxInflight` publishes hold a slot (waiting for the link or the broker's
 * ack) and at most `maxPending` wait for one; any more fail at once with RESOURCE_EXHAUSTED,
 * so a slow or unreachable broker cannot make the process hold an unbounded backlog.
 */
export class Publisher {
  private readonly client: MqttClient;
  private inflight = 0;
  /** min(maxInflight, the broker's Receive Maximum from the latest CONNACK). */
  private cap: number;
  /** The broker's Maximum Packet Size from the latest CONNACK (MQTT 5); undefined = no limit given. */
  private brokerMaxPacket: number | undefined;
  private readonly slotWaiters: Array<() => void> = [];
  private readonly linkWaiters = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly connection: Connection,
    private readonly timeoutMs: number,
    private readonly maxInflight: number,
    private readonly labels: PublisherLabels = PUBSUB_LABELS,
    private readonly maxPending: number = DEFAULT_MAX_PENDING,
  ) {
    this.client = connection.client;
    this.cap = maxInflight;
    // The first CONNACK came before this publisher was made; later ones (reconnects) update the limits.
    this.applyBrokerLimits(this.client.serverProperties);
    this.client.on('connect', (connack) => {
      this.applyBrokerLimits(connack.properties);
      for (const w of [...this.linkWaiters]) w();
    });
  }

  /** The broker's Maximum Packet Size (MQTT 5 CONNACK), when it announced one. */
  get brokerMaxPacketSize(): number | undefined {
    return this.brokerMaxPacket;
  }

  /**
   * MQTT 5 flow control: never more unacknowledged QoS>0 publishes than the broker's Receive
   * Maximum [MQTT-4.9.0-2], and no packet above its Maximum Packet Size [MQTT-3.1.2-24]. Both
   * come with every CONNACK, so a reconnect (maybe to another cluster node) updates them.
   */
  private applyBrokerLimits(properties: IConnackPacket['properties'] | undefined): void {
    const receiveMaximum = properties?.receiveMaximum ?? DEFAULT_RECEIVE_MAXIMUM;
    this.cap = Math.max(1, Math.min(this.maxInflight, receiveMaximum));
    this.brokerMaxPacket = properties?.maximumPacketSize;
    // A raised cap frees slots for publishes that were waiting.
    while (this.inflight < this.cap && this.slotWaiters.length > 0) this.slotWaiters.shift()?.();
  }

  get connected(): boolean {
    return this.client.connected;
  }

  async publish(topic: string, payload: Buffer, options: PublishOptions): Promise<void> {
    if (this.closed) throw new ComponentError('ERR_SHUTTING_DOWN', 'the component is shutting down');
    const deadline = Date.now() + this.timeoutMs;
    await this.acquireSlot(deadline);
    try {
      await this.waitForLink(deadline);
      await this.send(topic, payload, options, deadline);
    } finally {
      this.releaseSlot();
    }
  }

  close(): void {
    this.closed = true;
  }

  private unavailable(why: string): ComponentError {
    const cause = this.connection.lastError();
    return new ComponentError(
      this.labels.unavailableCode,
      `${why} within ${this.labels.timeoutField} (${this.timeoutMs} ms)${cause ? `: ${cause.message}` : ''}`,
    );
  }

  private acquireSlot(deadline: number): Promise<void> {
    if (this.inflight < this.cap) {
      this.inflight += 1;
      return Promise.resolve();
    }
    if (this.slotWaiters.length >= this.maxPending) {
      return Promise.reject(
        new ComponentError(
          this.labels.overloadedCode,
          `${this.inflight} messages await the broker's ack and ${this.slotWaiters.length} more wait for a slot (${this.labels.limitsName}): refused at once instead of queueing; retry later`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const waiter = (): void => {
        clearTimeout(timer);
        if (Date.now() >= deadline) {
          // Too late to send: hand the slot on and fail as if it never came.
          this.slotWaiters.shift()?.();
          reject(this.unavailable('no in-flight slot became free (maxInflightPublishes reached)'));
          return;
        }
        this.inflight += 1;
        resolve();
      };
      const timer = setTimeout(() => {
        const i = this.slotWaiters.indexOf(waiter);
        if (i >= 0) this.slotWaiters.splice(i, 1);
        reject(this.unavailable('no in-flight slot became free (maxInflightPublishes reached)'));
      }, Math.max(0, deadline - Date.now()));
      this.slotWaiters.push(waiter);
    });
  }

  private releaseSlot(): void {
    this.inflight -= 1;
    // After a lowered cap, slots come back only once the in-flight count is below it.
    if (this.inflight < this.cap) this.slotWaiters.shift()?.();
  }

  private waitForLink(deadline: number): Promise<void> {
    if (this.client.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = (): void => {
        clearTimeout(timer);
        this.linkWaiters.delete(waiter);
        resolve();
      };
      const timer = setTimeout(() => {
        this.linkWaiters.delete(waiter);
        reject(this.unavailable('the broker link did not come back'));
      }, Math.max(0, deadline - Date.now()));
      this.linkWaiters.add(waiter);
    });
  }

  private send(topic: string, payload: Buffer, options: PublishOptions, deadline: number): Promise<void> {
    return new Promise((resolve, reject) => {
      let settled = false;
      let messageId: number | undefined;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        // Withdraw it: a message we report as failed must not reach subscribers later.
        if (messageId !== undefined) this.client.removeOutgoingMessage(messageId);
        reject(this.unavailable('the broker did not acknowledge'));
      }, Math.max(0, deadline - Date.now()));
      // MQTT.js copies the options it is given.
      this.client.publish(topic, payload, options, (err, packet) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const reasonCode = (err as { code?: unknown } | undefined)?.code;
        if (!err) resolve();
        else if (isFailureReasonCode(reasonCode)) {
          // MQTT 5: a PUBACK/PUBREC with reason code >= 0x80; never a success.
          const reasonString = (packet as { properties?: { reasonString?: string } } | undefined)?.properties?.reasonString;
          reject(brokerRefusal('publish', reasonCode, `to "${topic}"`, reasonString));
        } else if (!this.client.connected) reject(this.unavailable(`the link dropped before the broker acknowledged (${err.message})`));
        else reject(new ComponentError('ERR_PUBLISH_REJECTED', `the message was rejected: ${err.message}`, { cause: err }));
      });
      if (options.qos > 0) messageId = this.client.getLastMessageId();
    });
  }
}
