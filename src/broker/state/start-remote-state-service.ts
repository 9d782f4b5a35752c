import type { IPublishPacket } from 'mqtt';
import type { ConnectionConfig } from '../../config/connection-config.js';
import type { Logger } from '../../logging/logger.js';
import { openConnection, waitForFirstConnect } from '../../mqtt/open-connection.js';
import { takeOverAcks } from '../../mqtt/manual-acks.js';
import { parseStateTopic, stateReplyTopic, stateRequestFilter } from '../../mqtt/state-topics.js';
import type { StateEngine } from './open-state-engine.js';

export interface RemoteStateServiceOptions {
  readonly connection: ConnectionConfig;
  /** Stable, so the broker keeps the service's session and queues requests while it restarts. */
  readonly clientId: string;
  /** The state service name: the `<service>` level of the topics it answers. */
  readonly service: string;
  readonly engine: StateEngine;
  readonly logger: Logger;
  /** Requests handled at once; the link stops reading beyond it (default 1024). */
  readonly maxConcurrent?: number;
  /** How long startup waits for the broker (default the connection's connectTimeout). */
  readonly connectTimeoutMs?: number;
}

export interface RemoteStateService {
  close(): Promise<void>;
}

/**
 * The state service as an MQTT client of any broker (Mosquitto, EMQX, ...): a persistent
 * session subscribed to every request topic at QoS 1. A request's PUBACK is sent only after its
 * reply was acknowledged by the broker, so a crash at any point makes the broker deliver the
 * request again, and the engine's dedupe table answers it without applying it twice.
 */
export async function startRemoteStateService(options: RemoteStateServiceOptions): Promise<RemoteStateService> {
  const { engine, logger } = options;
  const maxConcurrent = options.maxConcurrent ?? 1024;
  const connection = openConnection(options.connection, options.clientId, false, logger);
  const { client } = connection;
  const underWay = new Set<Promise<void>>();
  let paused: (() => void) | undefined;
  let closed = false;

  const serve = async (packet: IPublishPacket, epoch: number): Promise<void> => {
    const topic = parseStateTopic(packet.topic);
    const clientId = topic?.kind === 'req' && topic.service === options.service ? topic.clientId : undefined;
    const handled = clientId === undefined ? undefined : await engine.handle(clientId, packet.payload as Buffer);
    if (handled && clientId !== undefined) {
      if (handled.replyTopic === stateReplyTopic(options.service, clientId)) await client.publishAsync(handled.replyTopic, handled.reply, { qos: 1 });
      else logger.warn({ clientId }, 'state request names a reply topic that is not its client\'s; not answered');
    }
    if (packet.qos > 0 && packet.messageId !== undefined) acks.ack(packet.messageId, packet.qos as 1 | 2, epoch);
  };

  const acks = takeOverAcks(client, (packet, epoch, readMore) => {
    if (closed) return;
    const work = serve(packet, epoch).catch((err: unknown) => {
      // Not acknowledged: the broker delivers it again on the next connection.
      logger.warn({ topic: packet.topic, error: (err as Error).message }, 'state request not answered');
    });
    underWay.add(work);
    void work.finally(() => {
      underWay.delete(work);
      if (underWay.size < maxConcurrent && paused) {
        const resume = paused;
        paused = undefined;
        resume();
      }
    });
    if (underWay.size < maxConcurrent) readMore();
    else paused = readMore;
  });

  try {
    await waitForFirstConnect(connection, options.connection, options.connectTimeoutMs ?? options.connection.connectTimeoutMs);
    const filter = stateRequestFilter(options.service);
    const granted = await client.subscribeAsync(filter, { qos: 1 });
    if (granted.some((g) => g.qos === 128)) throw new Error(`the broker refused the subscription to ${filter} (check its ACL)`);
  } catch (err) {
    await connection.close();
    throw err;
  }
  logger.info({ broker: options.connection.displayAddress, clientId: options.clientId, service: options.service }, 'state service attached to the broker');

  return {
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...underWay]);
      await connection.close();
    },
  };
}
