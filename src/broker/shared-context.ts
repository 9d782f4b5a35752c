import type { Aedes } from 'aedes';
import type { Logger } from '../logging/logger.js';
import type { Listener, OutgoingPacket, ShareGroup } from './share-group.js';
import type { SharedMessage, SharedSubscriptionStore } from './shared-subscription-store.js';

export type Done = (err?: Error | null) => void;

/** The MQEmitter (`aedes.mq`) Aedes delivers through. */
export interface Emitter {
  on(filter: string, listener: Listener): unknown;
  removeListener(filter: string, listener: Listener): unknown;
  emit(message: object, callback?: Done): unknown;
}

/** The Aedes 1.x persistence methods the shared subscriptions wrap or call. */
export interface Persistence {
  addSubscriptions(client: { id: string }, subs: readonly { topic: string }[]): Promise<void>;
  removeSubscriptions(client: { id: string }, topics: readonly string[]): Promise<void>;
  subscriptionsByTopic(topic: string): Promise<{ topic: string }[]>;
  createRetainedStreamCombi(patterns: readonly string[]): unknown;
  outgoingEnqueue(sub: { clientId: string }, packet: OutgoingPacket): Promise<void>;
  outgoingClearMessageId(client: { id: string }, packet: { cmd?: string; messageId?: number }): Promise<unknown>;
}

/** Where a message is stored while it is on its way to a member; dropped once it is safe elsewhere. */
export type Copy =
  | { readonly in: 'group-queue'; readonly key: string }
  | { readonly in: 'member-queue'; readonly clientId: string; readonly messageId: number };

/** One message for one share group, until a member has it. */
export interface Delivery {
  readonly shareTopic: string;
  readonly message: SharedMessage;
  copy?: Copy | undefined;
}

export const noop = (): void => {};

/** What the parts of the shared subscriptions (dispatch, membership, queue drain, hooks) share. */
export class SharedContext {
  readonly groups = new Map<string, ShareGroup>();
  /** Group queue keys whose message is out to a member (not to be handed out again meanwhile). */
  readonly handedOut = new Set<string>();
  /** Emitted messages whose shared delivery could not be stored: their publish fails, so no PUBACK. */
  readonly failedEmits = new WeakMap<object, Error>();
  /** Operations under way; close() waits for them. */
  readonly work = new Set<Promise<unknown>>();
  closed = false;
  readonly mq: Emitter;
  readonly db: Persistence;

  constructor(
    readonly aedes: Aedes,
    persistence: object,
    readonly store: SharedSubscriptionStore,
    readonly logger: Logger,
  ) {
    this.mq = (aedes as unknown as { mq: Emitter }).mq;
    this.db = persistence as Persistence;
  }

  /** Runs `promise` in the background: tracked until settled, a failure logged with `what`. */
  background(what: string, promise: Promise<unknown>): void {
    const tracked = promise.catch((err: Error) => this.logger.warn({ error: err.message }, `shared subscriptions: ${what} failed`));
    this.track(tracked);
  }

  track(promise: Promise<unknown>): void {
    this.work.add(promise);
    void promise.then(() => this.work.delete(promise));
  }
}
