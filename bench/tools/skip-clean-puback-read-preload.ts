/**
 * Measures a proposed broker change without editing it: preloaded into the broker process
 * (`BENCH_BROKER_NODE_ARGS="--import dist/bench/tools/skip-clean-puback-read-preload.js"`), it
 * makes aedes-persistence-level skip the LevelDB read that Aedes asks for on every PUBACK
 * (`outgoingClearMessageId`) when the client has a clean session: such a client never has an
 * outgoing packet stored (Aedes stores them only for clean=false), so the read always misses.
 */
import AsyncLevelPersistence from 'aedes-persistence-level/asyncPersistence.js';

interface Persistence {
  outgoingClearMessageId(client: { clean?: boolean }, packet: unknown): Promise<unknown>;
}

const proto = (AsyncLevelPersistence as unknown as { prototype: Persistence }).prototype;
const clear = proto.outgoingClearMessageId;
proto.outgoingClearMessageId = function skipForCleanSessions(this: Persistence, client, packet) {
  if (client.clean === true) return Promise.resolve(undefined);
  return clear.call(this, client, packet);
};
