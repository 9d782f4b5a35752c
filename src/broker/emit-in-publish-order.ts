import type { Aedes, Client, PublishPacket } from 'aedes';

type Done = (err?: Error | null) => void;

/** The publish signature Aedes uses internally; its .d.ts declares only `(packet, done)`. */
type AedesPublish = (packet: PublishPacket, client: Client | null | Done, done?: Done) => void;

/** What Aedes hands its MQEmitter: an aedes-packet stamped with this broker's id and counter. */
interface EmittedPacket {
  brokerId?: string;
  brokerCounter?: number;
}

/** The part of MQEmitter (`aedes.mq`) that Aedes calls to deliver and to close. */
interface Emitter {
  emit(message: EmittedPacket, callback?: Done): unknown;
  close(callback: () => void): unknown;
}

interface AedesInternals {
  readonly id: string;
  /** The last `brokerCounter` given out; aedes-packet increments it for every packet it stamps. */
  readonly counter: number;
  mq: Emitter;
  publish: AedesPublish;
}

/** One publish, from the moment Aedes stamps its packet until that packet goes to the emitter. */
interface Slot {
  readonly counter: number;
  /** The packet may go to the emitter (it was emitted), or this publish will never emit. */
  ready: boolean;
  message?: EmittedPacket;
  callback?: Done | undefined;
}

/**
 * Hands published messages to subscribers in the order Aedes numbered them.
 *
 * Aedes 1.2 stamps each published packet with `brokerCounter = ++broker.counter`
 * (aedes-packet), then stores it (retained, offline queues) and only then emits it to the
 * subscribers (aedes.js `publishFuncsQoS`). Every client drops a packet whose counter is not
 * above the highest it already forwarded from the same broker (lib/client.js `dedupe`): that
 * is how it sends one copy to a client with overlapping subscriptions. With LevelDB the stores
 * of concurrent publishes finish out of order, so a packet emitted after a later-numbered one
 * was dropped for every subscriber, clean session or not, although its publisher already had
 * the PUBACK (moscajs/aedes#955, #994). A QoS 0 or non-retained packet, which skips some or
 * all stores, could overtake the same way.
 *
 * So each publish takes a slot in counter order, and an emitted packet waits until the
 * publishes numbered before it were emitted or ended without emitting (an error). The
 * storage still runs concurrently; only the hand-over to the emitter is ordered.
 *
 * Install it before anything else that wraps `aedes.publish` (persistBeforePuback), so every
 * publish, theirs included, goes through the slot.
 */
export function emitInPublishOrder(aedes: Aedes): void {
  const broker = aedes as unknown as AedesInternals;
  const mq = broker.mq;
  const emit = mq.emit.bind(mq);
  const closeEmitter = mq.close.bind(mq);
  const publish = broker.publish.bind(aedes);

  /** Publishes whose packet has not gone to the emitter yet, lowest counter first. */
  const pending: Slot[] = [];
  const byCounter = new Map<number, Slot>();
  let closed = false;

  const flush = (): void => {
    // Shift before emitting: the emitter calls subscribers synchronously, and one of them may
    // publish or emit again (re-entering flush), which must find the queue already advanced.
    while (pending.length > 0 && pending[0]!.ready) {
      const slot = pending.shift()!;
      byCounter.delete(slot.counter);
      if (slot.message) emit(slot.message, slot.callback);
    }
  };

  /** The publish ended: if its packet was never emitted, later ones must not wait for it. */
  const settle = (slot: Slot): void => {
    if (slot.ready) return;
    slot.ready = true;
    flush();
  };

  broker.publish = function orderedPublish(packet, client, done) {
    const callback = typeof client === 'function' ? client : done;
    const from = typeof client === 'function' ? null : client;
    // A packet that already carries a counter keeps it and takes no new one: not ours to order.
    if (closed || (packet as EmittedPacket).brokerCounter) {
      publish(packet, from, callback);
      return;
    }
    // aedes-packet gives the packet the next counter synchronously inside publish().
    const slot: Slot = { counter: broker.counter + 1, ready: false };
    pending.push(slot);
    byCounter.set(slot.counter, slot);
    publish(packet, from, function (this: unknown, err?: Error | null) {
      settle(slot);
      callback?.call(this, err);
    });
    // Rejected before a packet was stamped (too many topic levels): nothing will be emitted.
    if (broker.counter < slot.counter) settle(slot);
  };

  mq.emit = (message, callback) => {
    const slot = message.brokerId === broker.id && message.brokerCounter !== undefined ? byCounter.get(message.brokerCounter) : undefined;
    if (closed || !slot || slot.ready) return emit(message, callback);
    slot.message = message;
    slot.callback = callback;
    slot.ready = true;
    flush();
    return mq;
  };

  mq.close = (callback) => {
    closed = true;
    const held = pending.splice(0);
    byCounter.clear();
    const result = closeEmitter(callback);
    // The emitter is closed: it fails each held packet's callback, which ends its publish.
    for (const slot of held) if (slot.message) emit(slot.message, slot.callback);
    return result;
  };
}
