import type { AedesSubscription, EmittedPacket, MemberClient, OutgoingPacket, ShareGroup } from './share-group.js';
import { noop, type Copy, type Delivery, type SharedContext } from './shared-context.js';

export interface SharedDispatch {
  /** A group's emitter listener: one message for the group. */
  onMessage(group: ShareGroup, packet: EmittedPacket, done: () => void): void;
  /** Sends a delivery to one connected member, or keeps it in the group's queue. */
  dispatch(delivery: Delivery): Promise<void>;
  /** A member's PUBACK. */
  acknowledged(client: MemberClient, messageId: number | undefined): void;
  /** A member left: its unacknowledged QoS 1 messages go to another member. */
  redistribute(client: MemberClient): void;
}

/** Shared subscriptions, part 1: which member gets a message, and its way there. */
export function createSharedDispatch(ctx: SharedContext): SharedDispatch {
  /**
   * Shared deliveries carry their own broker id and counter. Aedes drops a packet whose counter
   * is not above the last one a client got from the same broker id (lib/client.js `dedupe`):
   * with the publish counter, a message moved to another member, or sent after a slower store,
   * would be dropped. This counter rises in the order deliveries reach each client. The id
   * still starts with the time-sortable broker id, so a member's queue replays in order.
   */
  const sharedBrokerId = `${ctx.aedes.id}-shared`;
  let sharedCounter = 0;

  /** Per member, its QoS 1 shared messages not acknowledged yet, by packet id. */
  const unacked = new WeakMap<MemberClient, Map<number, Delivery>>();
  /** Per member: settles once every shared delivery started for it was handed to Aedes, and once written. */
  const progress = new WeakMap<MemberClient, { handed: Promise<void>; written: Promise<void> }>();

  function onMessage(group: ShareGroup, packet: EmittedPacket, done: () => void): void {
    // An ended group's listener leaves the emitter only on its next turn (mqemitter removeListener).
    if (ctx.groups.get(group.share.topic) !== group) return done();
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
      ctx.failedEmits.set(packet, err);
      done();
    });
    ctx.track(dispatched);
  }

  /**
   * MQTT 5 §4.8.2: the message goes to exactly one session of the group. One connected member
   * in turn gets it; with none connected it waits in the group's queue for the first member
   * back, if a persistent session is in the group (none can come back otherwise).
   */
  async function dispatch(delivery: Delivery): Promise<void> {
    const group = ctx.groups.get(delivery.shareTopic);
    const member = group?.next();
    if (member) return send(member.client, member.subscription, delivery);
    const { copy } = delivery;
    if (!group || group.persistent.size === 0 || delivery.message.qos === 0) {
      delivery.copy = undefined;
      return release(copy);
    }
    if (copy?.in === 'group-queue') {
      ctx.handedOut.delete(copy.key); // already queued: it stays there
      return;
    }
    const key = await ctx.store.enqueue(delivery.shareTopic, delivery.message);
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
    const stored = !client.clean && qos > 0 ? ctx.db.outgoingEnqueue({ clientId: client.id }, packet) : undefined;
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
            ctx.background('dropping a shared message handed to a persistent session', release(previous));
          }
          written = new Promise<void>((resolve) => (qos > 0 ? client.deliverQoS : client.deliver0)(packet, () => resolve()));
          if (qos !== 1 && !stored) {
            // QoS 0, or QoS 2 to a clean session: written is as far as it goes.
            delivery.copy = undefined;
            ctx.background('dropping a delivered shared message', written.then(() => release(previous)));
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
      await ctx.store.dequeue(copy.key);
      ctx.handedOut.delete(copy.key);
    } else if (copy?.in === 'member-queue') {
      await ctx.db.outgoingClearMessageId({ id: copy.clientId }, { messageId: copy.messageId });
    }
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
    ctx.background('dropping an acknowledged shared message', release(copy));
  }

  /**
   * MQTT 5 §4.8.2: when the connection to a member is lost before it acknowledged a QoS 1
   * message, the Server MAY send that message to another member at once: at least once, not lost.
   */
  function redistribute(client: MemberClient): void {
    const pending = unacked.get(client);
    unacked.delete(client);
    if (!pending || pending.size === 0 || ctx.closed || ctx.aedes.closed) return; // a broker that stops keeps what is stored
    // Once Aedes has recorded (outgoingUpdate) and written what it was handed for this member.
    const settled = progress.get(client)?.written ?? Promise.resolve();
    ctx.background(
      'moving unacknowledged shared messages to another member',
      settled.then(async () => {
        for (const delivery of pending.values()) {
          await dispatch(delivery).catch((err: Error) =>
            ctx.logger.warn({ error: err.message, shareTopic: delivery.shareTopic }, 'shared subscriptions: a message could not be moved'),
          );
        }
      }),
    );
  }

  return { onMessage, dispatch, acknowledged, redistribute };
}
