import { ComponentError } from '../errors/component-error.js';
import type { ErrorCode } from '../errors/codes.js';
import { DeadlineQueue, type Deadline } from './deadline-queue.js';
import type { LinkPublishOptions, MqttLink, PublishFailure, PublishHandle } from './mqtt-link.js';
import { brokerRefusal } from './reason-codes.js';

export type PublishOptions = LinkPublishOptions;

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

/** One publish from the call until it settles. */
interface Op {
  readonly topic: string;
  readonly payload: Buffer;
  readonly options: PublishOptions;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
  readonly at: number;
  deadline: Deadline | undefined;
  handle: PublishHandle | undefined;
  settled: boolean;
}

/**
 * Publishes over one link: resolves when the broker acknowledged (QoS 1/2) or the packet was
 * written (QoS 0). Waits for an in-flight slot and for the link within `timeoutMs`, then fails
 * with UNAVAILABLE; a message that timed out is withdrawn from the link, so it is not sent later.
 * Bounded: at most `maxInflight` publishes hold a slot (waiting for the link or the broker's
 * ack) and at most `maxPending` wait for one; any more fail at once with RESOURCE_EXHAUSTED,
 * so a slow or unreachable broker cannot make the process hold an unbounded backlog.
 * One promise per publish and one timer for all deadlines (no promise chain, no timer each).
 */
export class Publisher {
  private inflight = 0;
  /** min(maxInflight, the broker's Receive Maximum from the latest CONNACK). */
  private cap: number;
  private readonly slotWaiters: Op[] = [];
  private readonly deadlines = new DeadlineQueue();
  private closed = false;

  constructor(
    private readonly link: MqttLink,
    private readonly timeoutMs: number,
    private readonly maxInflight: number,
    private readonly labels: PublisherLabels = PUBSUB_LABELS,
    private readonly maxPending: number = DEFAULT_MAX_PENDING,
  ) {
    this.cap = this.capFor(link.capabilities?.receiveMaximum);
    // Every CONNACK (maybe from another cluster node) may change the limits.
    link.onUp((up) => {
      this.cap = this.capFor(up.capabilities.receiveMaximum);
      this.fillSlots();
    });
  }

  /**
   * MQTT 5 flow control: never more unacknowledged QoS>0 publishes than the broker's Receive
   * Maximum [MQTT-4.9.0-2].
   */
  private capFor(receiveMaximum: number | undefined): number {
    return Math.max(1, Math.min(this.maxInflight, receiveMaximum ?? this.maxInflight));
  }

  /** The broker's Maximum Packet Size (MQTT 5 CONNACK), when it announced one [MQTT-3.1.2-24]. */
  get brokerMaxPacketSize(): number | undefined {
    return this.link.capabilities?.maximumPacketSize;
  }

  get connected(): boolean {
    return this.link.ready;
  }

  publish(topic: string, payload: Buffer, options: PublishOptions): Promise<void> {
    if (this.closed) return Promise.reject(new ComponentError('ERR_SHUTTING_DOWN', 'the component is shutting down'));
    if (this.inflight >= this.cap && this.slotWaiters.length >= this.maxPending) {
      return Promise.reject(
        new ComponentError(
          this.labels.overloadedCode,
          `${this.inflight} messages await the broker's ack and ${this.slotWaiters.length} more wait for a slot (${this.labels.limitsName}): refused at once instead of queueing; retry later`,
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const at = Date.now() + this.timeoutMs;
      const op: Op = { topic, payload, options, resolve, reject, at, deadline: undefined, handle: undefined, settled: false };
      op.deadline = this.deadlines.add(at, () => this.expire(op));
      if (this.inflight < this.cap) this.send(op);
      else this.slotWaiters.push(op);
    });
  }

  /** Refuses new publishes; those under way settle as the link completes or withdraws them, or at their deadline. */
  close(): void {
    this.closed = true;
  }

  private send(op: Op): void {
    this.inflight += 1;
    op.handle = this.link.publish(op.topic, op.payload, op.options, (failure) => this.complete(op, failure));
  }

  private complete(op: Op, failure: PublishFailure | undefined): void {
    if (op.settled) return;
    op.settled = true;
    op.deadline?.clear();
    this.releaseSlot();
    if (failure === undefined) op.resolve();
    else op.reject(this.failureError(op, failure));
  }

  private failureError(op: Op, failure: PublishFailure): ComponentError {
    // MQTT 5: a PUBACK/PUBREC with reason code >= 0x80; never a success.
    if (failure.reasonCode !== undefined) return brokerRefusal('publish', failure.reasonCode, `to "${op.topic}"`, failure.reasonString);
    if (!this.link.ready) return this.unavailable(`the link dropped before the broker acknowledged (${failure.error.message})`);
    return new ComponentError('ERR_PUBLISH_REJECTED', `the message was rejected: ${failure.error.message}`, { cause: failure.error });
  }

  /** The deadline passed: withdraw it (never sent later) and fail with UNAVAILABLE. */
  private expire(op: Op): void {
    if (op.settled) return;
    op.settled = true;
    if (op.handle === undefined) {
      const i = this.slotWaiters.indexOf(op);
      if (i >= 0) this.slotWaiters.splice(i, 1);
      op.reject(this.unavailable('no in-flight slot became free (maxInflightPublishes reached)'));
      return;
    }
    const sent = op.handle.sent;
    op.handle.cancel();
    this.releaseSlot();
    op.reject(this.unavailable(sent ? 'the broker did not acknowledge' : 'the broker link did not come back'));
  }

  private releaseSlot(): void {
    this.inflight -= 1;
    this.fillSlots();
  }

  /** After a lowered cap, slots come back only once the in-flight count is below it. */
  private fillSlots(): void {
    if (this.slotWaiters.length === 0) return;
    const now = Date.now();
    while (this.inflight < this.cap && this.slotWaiters.length > 0) {
      const op = this.slotWaiters.shift() as Op;
      if (op.settled) continue;
      // Too late to send: fail as if the slot never came, and hand it on.
      if (now >= op.at) {
        op.deadline?.clear();
        this.expire(op);
      } else this.send(op);
    }
  }

  private unavailable(why: string): ComponentError {
    const cause = this.link.lastError;
    return new ComponentError(
      this.labels.unavailableCode,
      `${why} within ${this.labels.timeoutField} (${this.timeoutMs} ms)${cause ? `: ${cause.message}` : ''}`,
    );
  }
}
