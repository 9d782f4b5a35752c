import type { Aedes, PublishPacket } from 'aedes';
import type { Logger } from '../../logging/logger.js';
import { parseStateTopic, stateReplyTopic, stateRequestFilter } from '../../mqtt/state-topics.js';
import type { StateEngine } from './open-state-engine.js';

export interface StateServiceAttachment {
  /** Stops taking requests and waits for those under way to be answered. */
  close(): Promise<void>;
}

type Deliver = (packet: PublishPacket, cb: () => void) => void;

/**
 * Runs the state service inside the bundled broker: requests are taken from Aedes' emitter as
 * they are published (no network hop, no session), replies are published through Aedes at QoS 0
 * (see serve) straight to the requesting client. A request whose client resends
 * it (same request id) is answered from the engine's dedupe table.
 */
export function attachStateService(aedes: Aedes, engine: StateEngine, service: string, logger: Logger): Promise<StateServiceAttachment> {
  const filter = stateRequestFilter(service);
  const underWay = new Set<Promise<void>>();
  let closed = false;

  const serve = async (clientId: string, payload: Buffer): Promise<void> => {
    const handled = await engine.handle(clientId, payload);
    if (!handled) return;
    if (handled.replyTopic !== stateReplyTopic(service, clientId)) {
      logger.warn({ clientId }, 'state request names a reply topic that is not its client\'s; not answered');
      return;
    }
    // QoS 0: Aedes writes the reply straight onto the client's connection (the service runs in
    // the broker, so there is no hop that could drop it), and the client sends no PUBACK for it.
    // A reply lost with the link is covered as before: the client subscribes again and resends
    // every request still waiting after a reconnect (writes are answered from the dedupe table).
    await new Promise<void>((resolve) => {
      aedes.publish({ cmd: 'publish', topic: handled.replyTopic, payload: handled.reply, qos: 0, retain: false, dup: false } as PublishPacket, (err) => {
        if (err) logger.warn({ clientId, error: err.message }, 'state reply could not be published');
        resolve();
      });
    });
  };

  const deliver: Deliver = (packet, cb) => {
    // Taken: Aedes may go on (the broker's PUBACK does not wait for the state operation).
    cb();
    const topic = parseStateTopic(packet.topic);
    if (closed || topic?.kind !== 'req' || topic.service !== service) return;
    const { clientId } = topic;
    const work = serve(clientId, packet.payload as Buffer).catch((err: unknown) => {
      logger.warn({ clientId, error: (err as Error).message }, 'state request failed');
    });
    underWay.add(work);
    void work.finally(() => underWay.delete(work));
  };

  return new Promise((resolve) => {
    aedes.subscribe(filter, deliver, () => {
      logger.info({ service }, 'state service attached to the bundled broker');
      resolve({
        async close() {
          if (closed) return;
          closed = true;
          await new Promise<void>((done) => aedes.unsubscribe(filter, deliver, () => done()));
          await Promise.all([...underWay]);
        },
      });
    });
  });
}
