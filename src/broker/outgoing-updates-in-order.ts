interface OutgoingClient {
  readonly id: string;
}

/** The one persistence method this touches (Aedes 1.x async persistence). */
interface OutgoingPersistence {
  outgoingUpdate(client: OutgoingClient, packet: object): Promise<unknown>;
}

const ignore = (): void => {};

/**
 * Makes a persistent-session client get its QoS≥1 messages in the order Aedes forwards them.
 *
 * For an online client with a persistent session, Aedes (lib/client.js `deliverQoS`) gives
 * each message its packet id, calls `outgoingUpdate` to record that id in the store, and
 * writes the PUBLISH when that call settles. aedes-persistence-level's `outgoingUpdate` is a
 * few LevelDB reads and writes whose timing varies, so with many messages in flight the
 * PUBLISHes went out in a different order than they were published ([MQTT-4.6.0-6]).
 *
 * The updates still run concurrently; each client's calls just settle in the order they were
 * made, so Aedes' writes after them keep that order. (The offline-queue replay already calls
 * it one message at a time.)
 */
export function outgoingUpdatesInOrder(persistence: object): void {
  const store = persistence as OutgoingPersistence;
  const update = store.outgoingUpdate.bind(store);
  /** Per client id: settles once that client's latest update settled. */
  const last = new Map<string, Promise<void>>();

  store.outgoingUpdate = (client, packet) => {
    const work = update(client, packet);
    work.catch(ignore); // handled: its failure reaches the caller through `result`, maybe later
    const previous = last.get(client.id);
    const result = previous ? previous.then(() => work) : work;
    const tail = result.then(ignore, ignore);
    last.set(client.id, tail);
    void tail.then(() => {
      if (last.get(client.id) === tail) last.delete(client.id);
    });
    return result;
  };
}
