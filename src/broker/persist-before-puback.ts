import type { Aedes, Client, PublishPacket } from 'aedes';

type Done = (err?: Error | null) => void;

/** The publish signature Aedes uses internally; its .d.ts declares only `(packet, done)`. */
type AedesPublish = (packet: PublishPacket, client: Client | null | Done, done?: Done) => void;

function isInboundQos1(client: Client | null, packet: PublishPacket): client is Client {
  // A will message has no messageId and no PUBACK: it keeps Aedes' own flow.
  return client !== null && packet.cmd === 'publish' && packet.qos === 1 && packet.messageId !== undefined;
}

/**
 * Makes the bundled broker send PUBACK only once a QoS 1 message is stored.
 *
 * Aedes 1.2 (lib/handlers/publish.js) writes PUBACK first and only then runs `publish`, which
 * stores the retained message and enqueues it for offline persistent sessions. A broker killed
 * in between loses a message its publisher saw acknowledged. (QoS 2 is already safe: the
 * packet is stored and published before PUBREC.)
 *
 * `authorizePublish` is the last step Aedes runs before it writes PUBACK, and it receives the
 * same packet object it later passes to `publish`. So for an inbound QoS 1 PUBLISH we run the
 * whole publish (store retained, enqueue offline, deliver) inside `authorizePublish`, mark the
 * packet, and turn Aedes' own later `publish` of that packet into a no-op. A storage failure
 * fails the authorization: Aedes drops the connection without PUBACK and the client resends.
 *
 * [MQTT-4.6.0-2] PUBACKs go out in the order the PUBLISHes arrived: stores run concurrently,
 * but each client's QoS 1 authorizations complete in arrival order.
 *
 * `maxInflight` caps a client's inbound QoS 1 PUBLISHes not acknowledged yet (being
 * authorized and stored, or waiting for an earlier one's PUBACK): one more ends the connection,
 * as MQTT 5 does past Receive Maximum (MQTT 3.1.1 cannot tell a client to slow down).
 *
 * Install it after any other `authorizePublish` (it wraps the one in place); replacing
 * `aedes.authorizePublish` afterwards would silently bring back ack-before-store.
 */
export function persistBeforePuback(aedes: Aedes, options: { maxInflight?: number } = {}): void {
  const maxInflight = options.maxInflight ?? Infinity;
  const published = new WeakSet<PublishPacket>();
  const lastInOrder = new WeakMap<Client, Promise<void>>();
  const inflight = new WeakMap<Client, number>();
  const broker = aedes as unknown as { publish: AedesPublish };
  const publish = broker.publish.bind(aedes);
  const authorize = aedes.authorizePublish;

  broker.publish = (packet, client, done) => {
    if (published.delete(packet)) {
      const callback = typeof client === 'function' ? client : done;
      if (callback) process.nextTick(callback, null);
      return;
    }
    publish(packet, client, done);
  };

  aedes.authorizePublish = (client, packet, callback) => {
    if (!isInboundQos1(client, packet)) {
      authorize.call(aedes, client, packet, callback);
      return;
    }
    const count = (inflight.get(client) ?? 0) + 1;
    if (count > maxInflight) {
      callback(new Error(`more than ${maxInflight} QoS 1 messages awaiting PUBACK (MQTT_BROKER_MAX_INFLIGHT): disconnected`));
      return;
    }
    inflight.set(client, count);
    const previous = lastInOrder.get(client) ?? Promise.resolve();
    let release!: () => void;
    lastInOrder.set(client, new Promise<void>((r) => (release = r)));

    const stored = new Promise<Error | null>((settle) => {
      authorize.call(aedes, client, packet, (authErr) => {
        if (authErr) return settle(authErr);
        publish(packet, client, (pubErr) => {
          if (pubErr) return settle(pubErr);
          published.add(packet);
          settle(null);
        });
      });
    });
    void Promise.all([stored, previous]).then(([err]) => {
      inflight.set(client, (inflight.get(client) ?? 1) - 1);
      try {
        callback(err);
      } finally {
        release();
      }
    });
  };
}
