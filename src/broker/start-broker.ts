import { Aedes } from 'aedes';
import type { Logger } from '../logging/logger.js';
import { ComponentError, isComponentError } from '../errors/component-error.js';
import { openBrokerStore, type BrokerStore } from './open-broker-store.js';
import { createBrokerId } from './create-broker-id.js';
import { outgoingUpdatesInOrder } from './outgoing-updates-in-order.js';
import { installAedesExtensions } from './aedes-extensions.js';
import type { SharedSubscriptions } from './shared-subscriptions.js';
import { startListeners, type BrokerListeners, type BrokerPorts } from './start-listeners.js';
import { prepareBrokerSecurity, type BrokerSecurityOptions } from './prepare-broker-security.js';
import { limitConnections } from './limit-connections.js';
import { ensurePrivateDir } from './ensure-private-dir.js';
import { openStateEngine, type StateEngine } from './state/open-state-engine.js';
import { attachStateService, type StateServiceAttachment } from './state/attach-state-service.js';
import { join } from 'node:path';
import { DEFAULT_STATE_SERVICE_NAME } from '../mqtt/state-topics.js';
import type { BrokerMetrics } from '../metrics/component-metrics.js';

export interface BrokerOptions {
  /** TCP port for MQTT; 0 picks a free one (see `Broker.port`). */
  port: number;
  /** Interface to bind. Default: `127.0.0.1`. */
  host?: string;
  /** Folder for the broker's LevelDB (`<dataDir>/broker`); created if missing. */
  dataDir: string;
  /** The process logger: the broker logs under `block: broker`, its state service under `state-service`. */
  logger: Logger;
  /** Attach the state service (data in `<dataDir>/state`) and keep its topics private. Default: true. */
  stateService?: boolean;
  /** The state service's name (the `<service>` topic level). Default: `default`. */
  stateServiceName?: string;
  /** Where the broker gauges (clients, sessions) and the state service's requests are recorded. */
  metrics?: BrokerMetrics;
  /** Authentication, ACLs, TLS and WebSocket listeners, limits. Default: anonymous (loopback hosts only), TCP only, default limits. */
  security?: BrokerSecurityOptions;
}

export interface Broker {
  /** The bound port, also when 0 was asked. */
  readonly port: number;
  /** Every listener's bound port (mqtt = `port`; mqtts, ws, wss when configured). */
  readonly ports: BrokerPorts;
  readonly aedes: Aedes;
  /** Why the broker cannot serve clients now (readiness); empty when it can. */
  notReadyReasons(): string[];
  /** Stops listening, closes clients, Aedes and the LevelDB; idempotent, waits for all of it. */
  close(): Promise<void>;
}

/** A connection that has not sent CONNECT by then is closed (Aedes' default is 30 s): it holds a connection slot. */
const CONNECT_TIMEOUT_MS = 10_000;

function closeAedes(aedes: Aedes): Promise<void> {
  return new Promise((resolve) => aedes.close(() => resolve()));
}

/**
 * Starts the bundled MQTT broker: Aedes over LevelDB persistence, on TCP and, when configured,
 * TLS and WebSocket listeners, with authentication, per-user ACLs and limits (`security`).
 * Retained messages, persistent sessions and their queued QoS≥1 messages survive a restart,
 * and PUBACK is sent only once a message is stored. Shared subscriptions (`$share/<group>/...`)
 * work, including for persistent sessions that are offline. Everything opened is released when a
 * later step fails.
 */
export async function startBroker(options: BrokerOptions): Promise<Broker> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger.child({ block: 'broker' });

  const security = await prepareBrokerSecurity(host, options.security ?? {});
  const { limits } = security;
  const store: BrokerStore = await openBrokerStore(options.dataDir);
  if (store.permissionWarning) logger.warn(store.permissionWarning);
  let aedes: Aedes | undefined;
  let shared: SharedSubscriptions | undefined;
  let listener: BrokerListeners;
  let engine: StateEngine | undefined;
  let attachment: StateServiceAttachment | undefined;
  try {
    outgoingUpdatesInOrder(store.persistence);
    aedes = new Aedes({
      id: createBrokerId(),
      persistence: store.persistence,
      maxTopicLevels: limits.maxTopicLevels,
      maxInflightInbound: limits.maxInflight, // QoS 2; persistBeforePuback caps QoS 1
      connectTimeout: CONNECT_TIMEOUT_MS,
    });
    // The extension chain, in its one declared order (src/broker/aedes-extensions.ts).
    ({ shared } = await installAedesExtensions({
      aedes,
      persistence: store.persistence,
      sharedStore: store.shared,
      access: { users: security.users, stateTopicsProtected: options.stateService !== false, logger },
      stateService: options.stateService !== false,
      maxInflight: limits.maxInflight,
      logger,
    }));
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
        const { metrics } = options;
        const warning = await ensurePrivateDir(join(options.dataDir, 'state')); // 0700, before the engine creates it
        if (warning) logger.warn(warning);
        engine = await openStateEngine({
          dataDir: join(options.dataDir, 'state'),
          logger: options.logger.child({ block: 'state-service' }),
          onRequest: metrics && ((operation, outcome) => metrics.stateServiceRequest(operation, outcome)),
        });
      } catch (err) {
        throw new ComponentError(
          'ERR_BROKER_START',
          `cannot open the state service data in ${join(options.dataDir, 'state')} (${(err as Error).message}): check MQTT_BROKER_DATA`,
          { field: 'MQTT_BROKER_DATA', cause: err },
        );
      }
      attachment = await attachStateService(aedes, engine, options.stateServiceName ?? DEFAULT_STATE_SERVICE_NAME, options.logger.child({ block: 'state-service' }));
    }
    listener = await startListeners(limitConnections(aedes, limits, logger), {
      host,
      port: options.port,
      tlsPort: options.security?.tlsPort,
      wsPort: options.security?.wsPort,
      wssPort: options.security?.wssPort,
      tlsOptions: security.tlsOptions,
      maxPacketSize: limits.maxPacketSize,
      logger,
    });
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
  logger.info(
    { host, port: listener.ports.mqtt, ports: listener.ports, data: store.location, authentication: security.users ? 'users file' : 'anonymous', users: security.users?.size, limits },
    'broker listening',
  );
  const unobserve = options.metrics?.observeBroker({
    connectedClients: () => aedesInstance.connectedClients,
    sessions: async () => (await store.persistence.countOffline()).clientsCount,
  });

  let closing: Promise<void> | undefined;
  const shutdown = async (): Promise<void> => {
    unobserve?.();
    await stateAttachment?.close(); // takes no more requests; those under way are answered
    await closeAedes(aedesInstance); // disconnects every MQTT client
    await stateEngine?.close();
    await sharedSubscriptions.close(); // its store operations under way end before the database closes
    await listener.close(); // and connections that never completed CONNECT
    await store.close();
    logger.info('broker stopped');
  };
  return {
    port: listener.ports.mqtt,
    ports: listener.ports,
    aedes: aedesInstance,
    notReadyReasons() {
      const reasons: string[] = [];
      if (closing !== undefined || aedesInstance.closed) reasons.push('stopping');
      else if (!listener.listening()) reasons.push('a listener stopped accepting connections');
      return reasons;
    },
    close: () => (closing ??= shutdown()),
  };
}
