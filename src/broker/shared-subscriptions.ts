import type { Aedes } from 'aedes';
import type { Logger } from '../logging/logger.js';
import { isShareTopic, parseShareTopic } from './share-topic.js';
import { ShareGroup, type AedesSubscription, type EmittedPacket, type Listener, type MemberClient, type OutgoingPacket } from './share-group.js';
import type { SharedMessage, SharedSubscriptionStore } from './shared-subscription-store.js';

type Done = (err?: Error | null) => void;

/** The MQEmitter (`aedes.mq`) Aedes delivers through. */
interface Emitter {
  on(filter: string, listener: Listener): unknown;
  removeListener(filter: string, listener: Listener): unknown;
  emit(message: object, callback?: Done): unknown;
}

/** The Aedes 1.x persistence methods this wraps or calls. */
interface Persistence {
  addSubscriptions(client: { id: string }, subs: readonly { topic: string }[]): Promise<void>;
  removeSubscriptions(client: { id: string }, topics: readonly string[]): Promise<void>;
  subscriptionsByTopic(topic: string): Promise<{ topic: string }[]>;
  createRetainedStreamCombi(patterns: readonly string[]): unknown;
  outgoingEnqueue(sub: { clientId: string }, packet: OutgoingPacket): Promise<void>;
  outgoingClearMessageId(client: { id: string }, packet: { cmd?: string; messageId?: number }): Promise<unknown>;
}

/** Where a message is stored while it is on its way to a member; dropped once it is safe elsewhere. */
type Copy =
  | { readonly in: 'group-queue'; readonly key: string }
  | { readonly in: 'member-queue'; readonly clientId: string; readonly messageId: number };

/** One message for one share group, until a member has it. */
interface Delivery {
  readonly shareTopic: string;
  readonly message: SharedMessage;
  copy?: Copy | undefined;
}

export interface SharedSubscriptions {
  /** Stops handing messages on and waits for the store operations under way. Call after Aedes closed, before its database. */
  close(): Promise<void>;
}

const noop = (): void => {};

/**
 * MQTT shared subscriptions (`$share/<group>/<filter>`, MQTT 5 §4.8.2) for Aedes, which grants
 * them but delivers nothing to them (its SUBSCRIBE handler puts the literal `$share/...`
 * filter on the emitter, where no real topic matches it).
 *
 * Hook points in Aedes 1.2:
 * - `aedes.subscribe`/`unsubscribe` (aedes.js:234-247, called by lib/handlers/subscribe.js:174
 *   and unsubscribe.js:60) keep Aedes' own `$share/...` listener off the emitter. Aedes still
 *   records the subscription in `client.subscriptions`, stores it for a persistent session and
 *   restores it on reconnect (connect.js:203), so membership, granted QoS and persistence are
 *   Aedes' own bookkeeping.
 * - Each share group listens once on `aedes.mq` with its inner filter. It sees every message
 *   after Aedes stored it (retained, offline queues) and in publish order
 *   (emitInPublishOrder), picks one member and writes through that client's own
 *   `deliverQoS`/`deliver0` (lib/client.js:109-162), as Aedes does for other subscriptions.
 * - Membership follows the events 'subscribe' and 'connackSent' (a restored session),
 *   'unsubscribe' and 'clientDisconnect'; persistent memberships and the groups' queues are kept
 *   by wrapping the persistence's `addSubscriptions`/`removeSubscriptions`.
 * - PUBACKs are seen by wrapping `outgoingClearMessageId`, which Aedes calls on every PUBACK
 *   (lib/handlers/puback.js:7), clean session or not.
 *
 * Install after emitInPublishOrder and before `aedes.listen()`. It wraps `authorizeSubscribe`
 * (to refuse malformed `$share` filters): one set afterwards must wrap this one, not replace it.
 */
export async function startSharedSubscriptions(
  aedes: Aedes,
  persistence: object,
  store: SharedSubscriptionStore,
  logger: Logger,
): Promise<SharedSubscriptions> {
  const broker = aedes as unknown as { mq: Emitter };
  const mq = broker.mq;
  const db = persistence as Persistence;
  const groups = new Map<string, ShareGroup>();

  /**
   * Shared deliveries carry their own broker id and counter. Aedes drops a packet whose counter
   * is not above the last one a client got from the same broker id (lib/client.js `dedupe`):
   * with the publish counter, a message moved to another member, or sent after a slower store,
   * would be dropped. This counter rises in the order deliveries reach each client. The id
   * still starts with the time-sortable broker id, so a member's queue replays in order.
   */
  const sharedBrokerId = `${aedes.id}-shared`;
  let sharedCounter = 0;

  /** Per member, its QoS 1 shared messages not acknowledged yet, by packet id. */
  const unacked = new WeakMap<MemberClient, Map<number, Delivery>>();
  /** Per member: settles once every shared delivery started for it was handed to Aedes, and once written. */
  const progress = new WeakMap<MemberClient, { handed: Promise<void>; written: Promise<void> }>();
  /** Group queue keys whose message is out to a member (not to be handed out again meanwhile). */
  const handedOut = new Set<string>();
  /** Emitted messages whose shared delivery could not be stored: their publish fails, so no PUBACK. */
  const failedEmits = new WeakMap<object, Error>();
  const work = new Set<Promise<unknown>>();
  let closed = false;

  const background = (what: string, promise: Promise<unknown>): void => {
    const tracked = promise.catch((err: Error) => logger.warn({ error: err.message }, `shared subscriptions: ${what} failed`));
    work.add(tracked);
    void tracked.then(() => work.delete(tracked));
  };

  // --- groups ---------------------------------------------------------------------------

  function groupFor(topic: string): ShareGroup | undefined {
    const existing = groups.get(topic);
    if (existing) return existing;
    const share = parseShareTopic(topic);
    if (!share) return undefined;
    const group: ShareGroup = new ShareGroup(share, (packet, done) => onMessage(group, packet, done));
    groups.set(topic, group);
    mq.on(share.filter, group.listener);
    return group;
  }

  /** A group no session belongs to any more ends, with whatever was queued for it. */
  function dropIfUnused(group: ShareGroup): void {
    if (!group.unused || groups.get(group.share.topic) !== group) return;
    groups.delete(group.share.topic);
    mq.removeListener(group.share.filter, group.listener);
    background('clearing the queue of an ended share group', store.clearQueue(group.share.topic));
  }

  function join(client: MemberClient, topic: string): void {
    if (!isShareTopic(topic) || client.closed || !client.subscriptions[topic]) return;
    const group = groupFor(topic);
    if (!group) return;
    group.join(client);
    drain(group);
  }

  // --- delivery -------------------------------------------------------------------------

  function onMessage(group: ShareGroup, packet: EmittedPacket, done: () => void): void {
    // An ended group's listener leaves the emitter only on its next turn (mqemitter removeListener).
    if (groups.get(group.share.topic) !== group) return done();
    // [MQTT-4.7.2-1] a filter that starts with a wildcard does not match topics starting with '$'
    const first = group.share.filter[0];
    if ((first === '+' || first === '#') && packet.topic.startsWith('$')) return done();
    const delivery: Delivery = {
      shareTopic: group.share.topic,
      message: {
        topic: packet.topic, // [MQTT-4.8.2] the member gets the concrete topic, never `$share/...`
        payload: packet.payload,
        qos: Math.min(Math.max(packet.qos, 0), 2) as 0 | 1 | 2,
        retain: packet.retain,
        ...(packet.properties ? { properties: packet.properties } : {}),
        brokerId: packet.brokerId,
        brokerCounter: packet.brokerCounter,
      },
    };
    const dispatched = dispatch(delivery).then(done, (err: Error) => {
      failedEmits.set(packet, err);
      done();
    });
    work.add(dispatched);
    void dispatched.then(() => work.delete(dispatched));
  }

  /**
   * MQTT 5 §4.8.2: the message goes to exactly one session of the group. One connected member
   * in turn gets it; with none connected it waits in the group's queue for the first member
   * back, if a persistent session is in the group (none can come back otherwise).
   */
  async function dispatch(delivery: Delivery): Promise<void> {
    const group = groups.get(delivery.shareTopic);
    const member = group?.next();
    if (member) return send(member.client, member.subscription, delivery);
    const { copy } = delivery;
    if (!group || group.persistent.size === 0 || delivery.message.qos === 0) {
      delivery.copy = undefined;
      return release(copy);
    }
    if (copy?.in === 'group-queue') {
      handedOut.delete(copy.key); // already queued: it stays there
      return;
    }
    const key = await store.enqueue(delivery.shareTopic, delivery.message);
    delivery.copy = { in: 'group-queue', key };
    await release(copy);
  }

  function send(client: MemberClient, subscription: AedesSubscription, delivery: Delivery): Promise<void> {
    const { message } = delivery;
    const qos = Math.min(message.qos, subscription.qos) as 0 | 1 | 2; // [MQTT-4.8.2-3] the granted QoS caps it
    const packet: OutgoingPacket = {
      cmd: 'publish',
      topic: message.topic,
      payload: message.payload,
      qos,
      // [MQTT-3.3.1-12] [MQTT-3.3.1-13] the flag as published only with Retain As Published
      retain: subscription.rap === true && message.retain,
      dup: false,
      ...(message.properties ? { properties: message.properties } : {}),
      brokerId: sharedBrokerId,
      brokerCounter: ++sharedCounter,
    };
    const messageId = qos > 0 ? takeMessageId(client) : 0;
    if (qos > 0) packet.messageId = messageId;
    if (qos === 1) unackedOf(client).set(messageId, delivery);

    // Aedes' deliverQoS expects a persistent session's message in its queue first (client.js:149),
    // which is also what keeps it across a broker restart.
    const stored = !client.clean && qos > 0 ? db.outgoingEnqueue({ clientId: client.id }, packet) : undefined;
    stored?.catch(noop); // handled below, once the deliveries before this one went out

    // Packets are handed to Aedes one after the other, in the order of their shared counter
    // (its duplicate filter needs that); the stores before and the writes after overlap.
    const before = progress.get(client) ?? { handed: Promise.resolve(), written: Promise.resolve() };
    let written = Promise.resolve();
    const handed = before.handed
      .then(() => stored)
      .then(
        () => {
          const previous = delivery.copy;
          if (stored) {
            // The member's session holds it now. A QoS 1 message is still ours to move if the
            // member goes; a QoS 2 one stays with that session ([MQTT-4.8.2-4], [MQTT-4.8.2-5]).
            delivery.copy = qos === 1 ? { in: 'member-queue', clientId: client.id, messageId } : undefined;
            background('dropping a shared message handed to a persistent session', release(previous));
          }
          written = new Promise<void>((resolve) => (qos > 0 ? client.deliverQoS : client.deliver0)(packet, () => resolve()));
          if (qos !== 1 && !stored) {
            // QoS 0, or QoS 2 to a clean session: written is as far as it goes.
            delivery.copy = undefined;
            background('dropping a delivered shared message', written.then(() => release(previous)));
          }
        },
        (err: unknown) => {
          if (qos === 1) unackedOf(client).delete(messageId);
          throw err;
        },
      );
    const sent = handed.then(() => written);
    progress.set(client, {
      handed: handed.then(noop, noop),
      written: Promise.all([before.written, sent.then(noop, noop)]).then(noop),
    });
    return sent;
  }

  /** The client's next packet id, taken as Aedes' QoSPacket takes it, so Aedes sends the PUBLISH with it. */
  function takeMessageId(client: MemberClient): number {
    const id = client._nextId;
    client._nextId = id >= 65535 ? 1 : id + 1;
    return id;
  }

  function unackedOf(client: MemberClient): Map<number, Delivery> {
    let pending = unacked.get(client);
    if (!pending) unacked.set(client, (pending = new Map()));
    return pending;
  }

  async function release(copy: Copy | undefined): Promise<void> {
    if (copy?.in === 'group-queue') {
      await store.dequeue(copy.key);
      handedOut.delete(copy.key);
    } else if (copy?.in === 'member-queue') {
      await db.outgoingClearMessageId({ id: copy.clientId }, { messageId: copy.messageId });
    }
  }

  /** Hands the group's queued messages, oldest first, to its connected members. */
  function drain(group: ShareGroup): void {
    if (closed || group.persistent.size === 0) return; // only persistent sessions leave a queue
    if (group.draining) {
      group.drainAgain = true;
      return;
    }
    group.draining = true;
    const run = async (): Promise<void> => {
      do {
        group.drainAgain = false;
        for await (const { key, message } of store.queued(group.share.topic)) {
          if (closed || group.online.length === 0) return;
          if (handedOut.has(key)) continue;
          handedOut.add(key);
          try {
            await dispatch({ shareTopic: group.share.topic, message, copy: { in: 'group-queue', key } });
          } catch (err) {
            handedOut.delete(key);
            throw err;
          }
        }
      } while (group.drainAgain && !closed);
    };
    background(
      'handing queued messages to a share group member',
      run().finally(() => (group.draining = false)),
    );
  }

  /** A member acknowledged a QoS 1 message: [MQTT-4.8.2-6] whatever the reason code, it is not sent to another. */
  function acknowledged(client: MemberClient, messageId: number | undefined): void {
    const pending = unacked.get(client);
    const delivery = messageId === undefined ? undefined : pending?.get(messageId);
    if (!delivery) return;
    pending!.delete(messageId!);
    const { copy } = delivery;
    delivery.copy = undefined;
    // The member's own queue entry is the one Aedes is clearing right now.
    if (copy?.in === 'member-queue' && copy.clientId === client.id) return;
    background('dropping an acknowledged shared message', release(copy));
  }

  /**
   * MQTT 5 §4.8.2: when the connection to a member is lost before it acknowledged a QoS 1
   * message, the Server MAY send that message to another member at once: at least once, not lost.
   */
  function redistribute(client: MemberClient): void {
    const pending = unacked.get(client);
    unacked.delete(client);
    if (!pending || pending.size === 0 || closed || aedes.closed) return; // a broker that stops keeps what is stored
    // Once Aedes has recorded (outgoingUpdate) and written what it was handed for this member.
    const settled = progress.get(client)?.written ?? Promise.resolve();
    background(
      'moving unacknowledged shared messages to another member',
      settled.then(async () => {
        for (const delivery of pending.values()) {
          await dispatch(delivery).catch((err: Error) =>
            logger.warn({ error: err.message, shareTopic: delivery.shareTopic }, 'shared subscriptions: a message could not be moved'),
          );
        }
      }),
    );
  }

  // --- hooks into Aedes --------------------------------------------------------------------

  // Aedes' own `$share/...` listener would match only topics named `$share/...`: keep it off the emitter.
  const subscribe = aedes.subscribe.bind(aedes);
  const unsubscribe = aedes.unsubscribe.bind(aedes);
  aedes.subscribe = (topic, func, done) => (isShareTopic(topic) ? void setImmediate(done ?? noop) : subscribe(topic, func, done));
  aedes.unsubscribe = (topic, func, done) => (isShareTopic(topic) ? void setImmediate(done ?? noop) : unsubscribe(topic, func, done));

  // [MQTT-4.8.2-1] [MQTT-4.8.2-2] a malformed `$share` filter is refused (0x80), and so is
  // [MQTT-3.8.3-4] No Local on a shared subscription.
  const authorizeSubscribe = aedes.authorizeSubscribe;
  aedes.authorizeSubscribe = (client, sub, callback) => {
    if (isShareTopic(sub.topic) && (!parseShareTopic(sub.topic) || sub.nl === true)) return callback(null, null);
    authorizeSubscribe.call(aedes, client, sub, callback);
  };

  // A failed store of a shared delivery fails the publish (emitPacket's callback), so
  // persistBeforePuback withholds the PUBACK and the publisher sends again.
  const emit = mq.emit.bind(mq);
  mq.emit = (message, callback) =>
    emit(message, (err) => {
      const failed = failedEmits.get(message);
      failedEmits.delete(message);
      callback?.(err ?? failed);
    });

  aedes.on('subscribe', (subs, client) => {
    for (const { topic } of subs) join(client as MemberClient, topic);
  });
  // A restored session has its stored subscriptions back before CONNACK (connect.js:203).
  aedes.on('connackSent', (_connack, client) => {
    const member = client as MemberClient;
    for (const topic of Object.keys(member.subscriptions)) join(member, topic);
  });
  aedes.on('unsubscribe', (topics, client) => {
    for (const topic of topics) {
      const group = groups.get(topic);
      if (!group) continue;
      group.leave(client as MemberClient);
      dropIfUnused(group);
    }
  });
  aedes.on('clientDisconnect', (client) => {
    const member = client as MemberClient;
    for (const group of [...groups.values()]) {
      group.leave(member);
      dropIfUnused(group);
    }
    redistribute(member);
  });

  const addSubscriptions = db.addSubscriptions.bind(db);
  db.addSubscriptions = async (client, subs) => {
    await addSubscriptions(client, subs);
    const topics = subs.map((sub) => sub.topic).filter((topic) => parseShareTopic(topic) !== undefined);
    if (topics.length === 0) return;
    await store.addMembers(topics, client.id);
    for (const topic of topics) groupFor(topic)?.persistent.add(client.id);
  };
  const removeSubscriptions = db.removeSubscriptions.bind(db);
  db.removeSubscriptions = async (client, topics) => {
    await removeSubscriptions(client, topics);
    const shared = topics.filter(isShareTopic);
    if (shared.length === 0) return;
    await store.removeMembers(shared, client.id);
    for (const topic of shared) {
      const group = groups.get(topic);
      if (!group) continue;
      group.persistent.delete(client.id);
      dropIfUnused(group);
    }
  };
  // Aedes' own offline queueing (aedes.js:318-365) would match `$share/...` filters literally.
  const subscriptionsByTopic = db.subscriptionsByTopic.bind(db);
  db.subscriptionsByTopic = async (topic) => (await subscriptionsByTopic(topic)).filter((sub) => !isShareTopic(sub.topic));
  // MQTT 5 §4.8.2 / §3.3.1.3: a new shared subscription gets no retained messages (subscribe.js:237).
  const createRetainedStreamCombi = db.createRetainedStreamCombi.bind(db);
  db.createRetainedStreamCombi = (patterns) => createRetainedStreamCombi(patterns.filter((pattern) => !isShareTopic(pattern)));
  const outgoingClearMessageId = db.outgoingClearMessageId.bind(db);
  db.outgoingClearMessageId = (client, packet) => {
    if (packet.cmd === 'puback') acknowledged(client as MemberClient, packet.messageId);
    // A clean-session client never has an outgoing packet stored (Aedes stores them only for
    // clean=false, client.js:146), so the LevelDB read Aedes asks for on each of its PUBACKs
    // always misses: skip it (measured: broker throughput 16k → 28k msg/s, bench B5).
    if ((client as { clean?: boolean }).clean === true) return Promise.resolve(undefined);
    return outgoingClearMessageId(client, packet);
  };

  // Groups with persistent members exist from the start: their messages are kept meanwhile.
  for (const { shareTopic, clientId } of await store.members()) groupFor(shareTopic)?.persistent.add(clientId);

  let closing: Promise<void> | undefined;
  return {
    close: () =>
      (closing ??= (async () => {
        closed = true;
        while (work.size > 0) await Promise.allSettled([...work]);
      })()),
  };
}
