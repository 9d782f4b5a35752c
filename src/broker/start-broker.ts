import { Aedes } from 'aedes';
import type { Logger } from '../logging/logger.js';
import { ComponentError, isComponentError } from '../errors/component-error.js';
import { openBrokerStore, type BrokerStore } from './open-broker-store.js';
import { createBrokerId } from './create-broker-id.js';
import { persistBeforePuback } from './persist-before-puback.js';
import { emitInPublishOrder } from './emit-in-publish-order.js';
import { outgoingUpdatesInOrder } from './outgoing-updates-in-order.js';
import { logBrokerEvents } from './log-broker-events.js';
import { startSharedSubscriptions, type SharedSubscriptions } from './shared-subscriptions.js';
import { listenTcp, type TcpListener } from './listen-tcp.js';
import { openStateEngine, type StateEngine } from './state/open-state-engine.js';
import { attachStateService, type StateServiceAttachment } from './state/attach-state-service.js';
import { protectStateTopics } from './state/protect-state-topics.js';
import { join } from 'node:path';
import { DEFAULT_STATE_SERVICE_NAME } from '../mqtt/state-topics.js';

export interface BrokerOptions {
  /** TCP port for MQTT; 0 picks a free one (see `Broker.port`). */
  port: number;
  /** Interface to bind. Default: `127.0.0.1`. */
  host?: string;
  /** Folder for the broker's LevelDB (`<dataDir>/broker`); created if missing. */
  dataDir: string;
  logger: Logger;
  /** Attach the state service (data in `<dataDir>/state`) and keep its topics private. Default: true. */
  stateService?: boolean;
  /** The state service's name (the `<service>` topic level). Default: `default`. */
  stateServiceName?: string;
}

export interface Broker {
  /** The bound port, also when 0 was asked. */
  readonly port: number;
  readonly aedes: Aedes;
  /** Stops listening, closes clients, Aedes and the LevelDB; idempotent, waits for all of it. */
  close(): Promise<void>;
}

function closeAedes(aedes: Aedes): Promise<void> {
  return new Promise((resolve) => aedes.close(() => resolve()));
}

/**
 * Starts the bundled MQTT broker: Aedes over LevelDB persistence, on a plain TCP server.
 * Retained messages, persistent sessions and their queued QoS≥1 messages survive a restart,
 * and PUBACK is sent only once a message is stored. Shared subscriptions (`$share/<group>/...`)
 * work, including for persistent sessions that are offline. Everything opened is released when a
 * later step fails.
 */
export async function startBroker(options: BrokerOptions): Promise<Broker> {
  const host = options.host ?? '127.0.0.1';
  const { logger } = options;

  const store: BrokerStore = await openBrokerStore(options.dataDir);
  let aedes: Aedes | undefined;
  let shared: SharedSubscriptions | undefined;
  let listener: TcpListener;
  let engine: StateEngine | undefined;
  let attachment: StateServiceAttachment | undefined;
  try {
    outgoingUpdatesInOrder(store.persistence);
    aedes = new Aedes({ id: createBrokerId(), persistence: store.persistence });
    logBrokerEvents(aedes, logger);
    emitInPublishOrder(aedes); // before persistBeforePuback, which wraps publish again
    if (options.stateService !== false) protectStateTopics(aedes); // before persistBeforePuback
    persistBeforePuback(aedes);
    shared = await startSharedSubscriptions(aedes, store.persistence, store.shared, logger);
    try {
      await aedes.listen(); // loads the stored subscriptions
    } catch (err) {
      throw new ComponentError(
        'ERR_BROKER_START',
        `cannot load the broker data in ${store.location} (${(err as Error).message}): check MQTT_BROKER_DATA`,
        { field: 'MQTT_BROKER_DATA', cause: err },
      );
    }
    if (options.stateService !== false) {
      try {
        engine = await openStateEngine({ dataDir: join(options.dataDir, 'state'), logger: logger.child({ block: 'state-service' }) });
      } catch (err) {
        throw new ComponentError(
          'ERR_BROKER_START',
          `cannot open the state service data in ${join(options.dataDir, 'state')} (${(err as Error).message}): check MQTT_BROKER_DATA`,
          { field: 'MQTT_BROKER_DATA', cause: err },
        );
      }
      attachment = await attachStateService(aedes, engine, options.stateServiceName ?? DEFAULT_STATE_SERVICE_NAME, logger.child({ block: 'state-service' }));
    }
    const broker = aedes;
    listener = await listenTcp((socket) => (broker.closed ? socket.destroy() : broker.handle(socket)), options.port, host, logger);
  } catch (err) {
    await attachment?.close();
    if (aedes) await closeAedes(aedes);
    await engine?.close();
    await shared?.close();
    await store.close();
    if (!isComponentError(err)) {
      throw new ComponentError('ERR_BROKER_START', `the broker could not start: ${(err as Error).message}`, { cause: err });
    }
    throw err;
  }

  const aedesInstance = aedes;
  const sharedSubscriptions = shared;
  const stateAttachment = attachment;
  const stateEngine = engine;
  logger.info({ host, port: listener.port, data: store.location }, 'broker listening');

  let closing: Promise<void> | undefined;
  const shutdown = async (): Promise<void> => {
    await stateAttachment?.close(); // takes no more requests; those under way are answered
    await closeAedes(aedesInstance); // disconnects every MQTT client
    await stateEngine?.close();
    await sharedSubscriptions.close(); // its store operations under way end before the database closes
    await listener.close(); // and connections that never completed CONNECT
    await store.close();
    logger.info('broker stopped');
  };
  return {
    port: listener.port,
    aedes: aedesInstance,
    close: () => (closing ??= shutdown()),
  };
}
