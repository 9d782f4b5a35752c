import type { ConnectionConfig } from '../../config/connection-config.js';
import type { Logger } from '../../logging/logger.js';
import { ComponentError } from '../../errors/component-error.js';
import type { InboundMessage } from '../../mqtt/mqtt-link.js';
import { openMqttLink } from '../../mqtt/mqttjs-link.js';
import { reasonCodeText } from '../../mqtt/reason-codes.js';
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
  /** True while the link to the broker is up (readiness). */
  connected(): boolean;
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
  const link = openMqttLink({ connection: options.connection, clientId: options.clientId, clean: false, logger });
  // Each request under way may have one reply awaiting its PUBACK: with MQTT 5 no more than the
  // broker's Receive Maximum (from the current CONNACK) [MQTT-4.9.0-2].
  const limit = (): number => Math.min(maxConcurrent, link.capabilities?.receiveMaximum ?? maxConcurrent);
  const underWay = new Set<Promise<void>>();
  let closed = false;

  const reply = (topic: string, payload: Buffer, correlationData: Buffer | undefined): Promise<void> =>
    new Promise((resolve, reject) => {
      link.publish(topic, payload, { qos: 1, retain: false, ...(correlationData === undefined ? {} : { properties: { correlationData } }) }, (failure) => {
        if (failure === undefined) resolve();
        else reject(failure.error);
      });
    });

  const serve = async (packet: InboundMessage): Promise<void> => {
    const topic = parseStateTopic(packet.topic);
    const clientId = topic?.kind === 'req' && topic.service === options.service ? topic.clientId : undefined;
    const handled = clientId === undefined ? undefined : await engine.handle(clientId, packet.payload);
    if (handled && clientId !== undefined) {
      // MQTT 5 request/response: reply to the Response Topic with the Correlation Data, when the
      // request has them; the envelope carries the same for MQTT 3.1.1 clients.
      const { responseTopic, correlationData } = packet.properties ?? {};
      const replyTopic = responseTopic ?? handled.replyTopic;
      if (replyTopic === stateReplyTopic(options.service, clientId)) {
        await reply(replyTopic, handled.reply, correlationData);
      } else logger.warn({ clientId }, 'state request names a reply topic that is not its client\'s; not answered');
    }
    packet.ack();
  };

  /** Requests read but not started: at most what the broker lets be in flight to us. */
  const waiting: Array<() => void> = [];
  const start = (packet: InboundMessage): void => {
    const work = serve(packet).catch((err: unknown) => {
      // Not acknowledged: the broker delivers it again on the next connection.
      logger.warn({ topic: packet.topic, error: (err as Error).message }, 'state request not answered');
    });
    underWay.add(work);
    void work.finally(() => {
      underWay.delete(work);
      if (underWay.size < limit()) waiting.shift()?.();
    });
  };

  link.onMessage((packet, readMore) => {
    if (closed) return;
    if (underWay.size < limit()) start(packet);
    else waiting.push(() => start(packet));
    // Always read on: the PUBACKs of our replies, which free the slots, arrive on this link too.
    // (Holding the read until a slot is free deadlocked as soon as the limit was reached.)
    readMore();
  });

  try {
    await link.waitUntilUp(options.connectTimeoutMs ?? options.connection.connectTimeoutMs);
    const filter = stateRequestFilter(options.service);
    const { refused } = await link.subscribe(filter, 1);
    if (refused !== undefined) {
      throw new ComponentError('ERR_STATE_REPLY_DENIED', `the broker refused the subscription to ${filter} with reason code ${reasonCodeText(refused)} (check its ACL)`, { field: 'clientId' });
    }
  } catch (err) {
    await link.close();
    throw err;
  }
  logger.info({ broker: options.connection.displayAddress, clientId: options.clientId, service: options.service }, 'state service attached to the broker');

  return {
    connected: () => !closed && link.ready,
    async close() {
      if (closed) return;
      closed = true;
      waiting.length = 0;
      await Promise.all([...underWay]);
      await link.close();
    },
  };
}
