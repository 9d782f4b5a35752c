import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { isComponentError } from '../errors/component-error.js';

/** Every metric this program defines starts with it (Node's own `process_*`/`nodejs_*` do not). */
export const METRIC_PREFIX = 'mqtt_pluggable_';

/** Seconds; from a sub-millisecond local broker round trip up to the default timeouts (10 s, 5 s). */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** Which MQTT connection of a component instance a reconnect is about. */
export type ConnectionRole = 'publisher' | 'subscriber' | 'state';

/** Ends a timed operation with its outcome: `ok`, or the error code (see {@link outcomeOf}). */
export type EndTimer = (outcome: string) => void;

/** What one pub/sub instance records. Labels are the instance and an operation, never a topic. */
export interface PubSubMetrics {
  /** Starts timing a `publish` or `bulk_publish` call. */
  startPublish(operation: 'publish' | 'bulk_publish'): EndTimer;
  /** `count` messages the broker accepted (acknowledged at QoS 1/2, written at QoS 0). */
  published(count: number): void;
  /** A message handed to daprd; `redelivery` when it was nacked before. Counts it in flight. */
  delivered(redelivery: boolean): void;
  /** daprd acked a message in flight. */
  acked(): void;
  /** daprd nacked a message in flight (it will be redelivered). */
  nacked(): void;
  /** A message in flight will not be acked on this stream (it ended): no longer in flight. */
  abandoned(): void;
  /** A message too large for daprd was acknowledged without delivery. */
  dropped(): void;
  /** A connection of this instance came back after a link loss. */
  reconnected(connection: ConnectionRole): void;
}

/** What one state store instance records. */
export interface StateMetrics {
  /** Starts timing one state operation (`get`, `set`, ..., `ping`). */
  startOperation(operation: string): EndTimer;
  reconnected(connection: ConnectionRole): void;
}

/** What the bundled broker exposes, read at each scrape. */
export interface BrokerSource {
  /** Clients connected now. */
  connectedClients(): number;
  /** Persistent sessions the broker keeps (online or not) that hold subscriptions. */
  sessions(): Promise<number>;
}

/** What the bundled broker and the state service record. */
export interface BrokerMetrics {
  /** Reads the broker's gauges from `source` from now on; the returned function stops it. */
  observeBroker(source: BrokerSource): () => void;
  /** One request handled by the state service: `outcome` is `ok`, `duplicate` or the error kind. */
  stateServiceRequest(operation: string, outcome: string): void;
}

/** All of the above, on one registry: created once by main.ts and handed down. */
export interface ComponentMetrics extends BrokerMetrics {
  readonly registry: Registry;
  pubsub(instance: string): PubSubMetrics;
  state(instance: string): StateMetrics;
}

export interface ComponentMetricsOptions {
  /** Default: a new registry (so tests each get fresh counters). */
  registry?: Registry;
  /** Node's process and runtime metrics (`process_*`, `nodejs_*`). Default: true. */
  defaultMetrics?: boolean;
}

/** The `outcome` label of a failure: its declared error code, or ERR_INTERNAL. */
export function outcomeOf(err: unknown): string {
  return isComponentError(err) ? err.code : 'ERR_INTERNAL';
}

/** Runs `work`, ending `end` with `ok` or the failure's outcome (the failure is rethrown). */
export async function timedOutcome<T>(end: EndTimer, work: () => Promise<T>): Promise<T> {
  try {
    const result = await work();
    end('ok');
    return result;
  } catch (err) {
    end(outcomeOf(err));
    throw err;
  }
}

const noTimer: EndTimer = () => undefined;

/** Records nothing: the default of code that is given no metrics (tests, tools). */
export const NO_PUBSUB_METRICS: PubSubMetrics = Object.freeze({
  startPublish: () => noTimer,
  published: () => undefined,
  delivered: () => undefined,
  acked: () => undefined,
  nacked: () => undefined,
  abandoned: () => undefined,
  dropped: () => undefined,
  reconnected: () => undefined,
});

export const NO_STATE_METRICS: StateMetrics = Object.freeze({
  startOperation: () => noTimer,
  reconnected: () => undefined,
});

/** Creates every metric on one registry; see docs/operations.md for the list. */
export function createComponentMetrics(options: ComponentMetricsOptions = {}): ComponentMetrics {
  const registry = options.registry ?? new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const name = (n: string): string => `${METRIC_PREFIX}${n}`;
  /** A counter per component instance (the pub/sub ones). */
  const instanceCounter = (n: string, help: string): Counter<'instance'> => new Counter({ name: name(n), help, labelNames: ['instance'] as const, registers });

  const published = instanceCounter('pubsub_published_total', 'Messages the broker accepted from Publish and BulkPublish (acknowledged at QoS 1/2, written at QoS 0).');
  const publishDuration = new Histogram({
    name: name('pubsub_publish_duration_seconds'),
    help: 'Duration of Publish and BulkPublish calls, by outcome (ok or the error code).',
    labelNames: ['instance', 'operation', 'outcome'] as const,
    buckets: [...LATENCY_BUCKETS],
    registers,
  });
  const delivered = instanceCounter('pubsub_delivered_total', 'Messages handed to daprd on PullMessages streams, redeliveries included.');
  const acked = instanceCounter('pubsub_acked_total', 'Deliveries daprd acknowledged as handled (the MQTT PUBACK follows).');
  const nacked = instanceCounter('pubsub_nacked_total', 'Deliveries daprd reported as failed (the message is delivered again after a backoff).');
  const redelivered = instanceCounter('pubsub_redelivered_total', 'Deliveries of a message daprd had nacked (also counted in delivered).');
  const inFlight = new Gauge({
    name: name('pubsub_in_flight'),
    help: 'Messages handed to daprd and not yet acked or nacked.',
    labelNames: ['instance'] as const,
    registers,
  });
  const dropped = instanceCounter('pubsub_dropped_total', 'Messages larger than maxDeliverySize, acknowledged without delivery (each is also logged as an error).');
  const reconnects = new Counter({
    name: name('mqtt_reconnects_total'),
    help: 'MQTT connections re-established after a link loss, by instance and connection (publisher, subscriber, state).',
    labelNames: ['instance', 'connection'] as const,
    registers,
  });
  const stateDuration = new Histogram({
    name: name('state_operation_duration_seconds'),
    help: 'Duration of state store operations, by operation and outcome (ok or the error code).',
    labelNames: ['instance', 'operation', 'outcome'] as const,
    buckets: [...LATENCY_BUCKETS],
    registers,
  });
  const serviceRequests = new Counter({
    name: name('state_service_requests_total'),
    help: 'Requests the state service in this process handled, by operation and outcome (ok, duplicate, or the error kind).',
    labelNames: ['operation', 'outcome'] as const,
    registers,
  });

  // The broker gauges exist only in a process that runs the broker, so that a component alone
  // does not report a broker with 0 clients.
  let brokerSource: BrokerSource | undefined;
  let brokerGauges = false;
  const registerBrokerGauges = (): void => {
    if (brokerGauges) return;
    brokerGauges = true;
    new Gauge({
      name: name('broker_clients'),
      help: 'MQTT clients connected to the bundled broker.',
      registers,
      collect() {
        this.set(brokerSource?.connectedClients() ?? 0);
      },
    });
    new Gauge({
      name: name('broker_sessions'),
      help: 'Persistent sessions (cleanSession=false) with subscriptions that the bundled broker keeps, online or offline.',
      registers,
      async collect() {
        if (!brokerSource) {
          this.set(0);
          return;
        }
        try {
          this.set(await brokerSource.sessions());
        } catch {
          // The store is closing (shutdown): keep the last value rather than fail the scrape.
        }
      },
    });
  };

  const pubsubByInstance = new Map<string, PubSubMetrics>();
  const stateByInstance = new Map<string, StateMetrics>();

  return {
    registry,
    pubsub(instance) {
      let m = pubsubByInstance.get(instance);
      if (!m) {
        // Children bound once per instance: no label lookup per message.
        const flight = inFlight.labels(instance);
        flight.set(0);
        const [publishedN, deliveredN, redeliveredN, ackedN, nackedN, droppedN] = [published, delivered, redelivered, acked, nacked, dropped].map((c) => c.labels(instance));
        m = {
          startPublish(operation) {
            const end = publishDuration.startTimer({ instance, operation });
            return (outcome) => {
              end({ outcome });
            };
          },
          published: (count) => publishedN?.inc(count),
          delivered(redelivery) {
            deliveredN?.inc();
            if (redelivery) redeliveredN?.inc();
            flight.inc();
          },
          acked() {
            ackedN?.inc();
            flight.dec();
          },
          nacked() {
            nackedN?.inc();
            flight.dec();
          },
          abandoned: () => flight.dec(),
          dropped: () => droppedN?.inc(),
          reconnected: (connection) => reconnects.inc({ instance, connection }),
        };
        pubsubByInstance.set(instance, m);
      }
      return m;
    },
    state(instance) {
      let m = stateByInstance.get(instance);
      if (!m) {
        m = {
          startOperation(operation) {
            const end = stateDuration.startTimer({ instance, operation });
            return (outcome) => {
              end({ outcome });
            };
          },
          reconnected: (connection) => reconnects.inc({ instance, connection }),
        };
        stateByInstance.set(instance, m);
      }
      return m;
    },
    observeBroker(source) {
      registerBrokerGauges();
      brokerSource = source;
      return () => {
        if (brokerSource === source) brokerSource = undefined;
      };
    },
    stateServiceRequest(operation, outcome) {
      serviceRequests.inc({ operation, outcome });
    },
  };
}
