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

export interface BrokerOptions {
  /** TCP port for MQTT; 0 picks a free one (see `Broker.port`). */
  port: number;
  /** Interface to bind. Default: `127.0.0.1`. */
  host?: string;
  /** Folder for the broker's LevelDB (`<dataDir>/broker`); created if missing. */
  dataDir: string;
  logger: Logger;
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
  try {
    outgoingUpdatesInOrder(store.persistence);
    aedes = new Aedes({ id: createBrokerId(), persistence: store.persistence });
    logBrokerEvents(aedes, logger);
    emitInPublishOrder(aedes); // before persistBeforePuback, which wraps publish again
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
    const broker = aedes;
    listener = await listenTcp((socket) => (broker.closed ? socket.destroy() : broker.handle(socket)), options.port, host, logger);
  } catch (err) {
    if (aedes) await closeAedes(aedes);
    await shared?.close();
    await store.close();
    if (!isComponentError(err)) {
      throw new ComponentError('ERR_BROKER_START', `the broker could not start: ${(err as Error).message}`, { cause: err });
    }
    throw err;
  }

  const aedesInstance = aedes;
  const sharedSubscriptions = shared;
  logger.info({ host, port: listener.port, data: store.location }, 'broker listening');

  let closing: Promise<void> | undefined;
  const shutdown = async (): Promise<void> => {
    await closeAedes(aedesInstance); // disconnects every MQTT client
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
