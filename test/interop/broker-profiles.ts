/**
 * What each broker does, declared once: the interop suite asserts every `tested` profile
 * (present features work, absent ones are detected and handled as documented), and
 * docs/brokers.md is rendered from this table (scripts/brokers-doc.ts; a test keeps it current).
 */

export interface BrokerFeatures {
  /** `$share/<group>/<filter>` shared subscriptions. */
  readonly sharedSubscriptions: boolean;
  /** QoS 2 (exactly once) for publishes and subscriptions. */
  readonly qos2: boolean;
  /** MQTT 5 (protocolVersion 5). */
  readonly mqtt5: boolean;
  /** Retained messages. */
  readonly retained: boolean;
}

export interface BrokerProfile {
  /** Stable id used by the tests. */
  readonly id: string;
  readonly name: string;
  /** Version the statements hold for. */
  readonly version: string;
  /** true: the interop suite runs against a real instance; false: from the vendor's documentation. */
  readonly tested: boolean;
  readonly features: BrokerFeatures;
  /** What the component does about what is missing (one sentence each). */
  readonly behaviour: readonly string[];
  /** What to configure, on the broker and in the Component metadata. */
  readonly configure: readonly string[];
  /** Where the untested statements come from. */
  readonly source?: string;
}

const SHARE_FALLBACK =
  'No shared subscriptions: found at Init (MQTT 3.1.1 probe); the component subscribes without `$share/<consumerID>/` and logs a warning, so every replica of an app gets every message. Set `sharedSubscriptions: "false"` to make that explicit; run one replica per app id, or accept duplicates across replicas.';
const QOS2_REFUSED =
  'No QoS 2: the broker grants QoS 1 to a QoS 2 subscription; Init with `qos: "2"` fails with FAILED_PRECONDITION (`ERR_BROKER_QOS_UNSUPPORTED`) naming `qos`, and Publish metadata `qos: "2"` fails with FAILED_PRECONDITION (`ERR_PUBLISH_QOS_UNSUPPORTED`), never a retriable timeout.';
const NO_MQTT5 = 'No MQTT 5: Init with `protocolVersion: "5"` fails with FAILED_PRECONDITION (`ERR_BROKER_PROTOCOL_UNSUPPORTED`) naming `protocolVersion`.';
const STATE_SERVICE = 'State store: run the standalone state service against it (`STATE_SERVICE_URL=<url> npm run state-service`).';
const STATE_TESTED = 'The state store conformance suite passes through the standalone state service attached to it (request/reply at QoS 1 on `$dapr-state/...` topics, which it routes like any other).';

export const BROKER_PROFILES: readonly BrokerProfile[] = [
  {
    id: 'bundled',
    name: 'Bundled broker (Aedes + LevelDB)',
    version: 'this repository',
    tested: true,
    features: { sharedSubscriptions: true, qos2: true, mqtt5: false, retained: true },
    behaviour: [NO_MQTT5, 'Shared subscriptions are implemented by the bundled broker, including offline members with persistent sessions.'],
    configure: ['Nothing: `npm start` runs it with the state service attached.'],
  },
  {
    id: 'mosquitto',
    name: 'Eclipse Mosquitto',
    version: '2.0',
    tested: true,
    features: { sharedSubscriptions: true, qos2: true, mqtt5: true, retained: true },
    behaviour: ['Everything works with MQTT 3.1.1 and 5.'],
    configure: ['`max_packet_size` on the broker → the same value in `maxPublishSize`, so an oversized message fails at once with INVALID_ARGUMENT.', STATE_SERVICE],
  },
  {
    id: 'nats',
    name: 'NATS server (MQTT gateway)',
    version: '2.9.10',
    tested: true,
    features: { sharedSubscriptions: false, qos2: false, mqtt5: false, retained: true },
    behaviour: [
      SHARE_FALLBACK,
      QOS2_REFUSED + ' (NATS closes the connection on a QoS 2 PUBLISH.)',
      NO_MQTT5,
      STATE_TESTED,
      'A cluster listed whole in `url` survives the loss of the node in use: every closed connection moves to the next node; with `stream_replicas: 3` persistent sessions continue on the other nodes.',
    ],
    configure: [
      'nats-server needs `server_name`, `jetstream { store_dir }` and `mqtt { listen }`; in a cluster also `mqtt { stream_replicas: 3 }`.',
      'Component: `url: "tcp://node1:1883,tcp://node2:1883,tcp://node3:1883"`, `qos` 0 or 1.',
      STATE_SERVICE,
    ],
  },
  {
    id: 'rabbitmq',
    name: 'RabbitMQ (rabbitmq_mqtt plugin)',
    version: '3.10.8',
    tested: true,
    features: { sharedSubscriptions: false, qos2: false, mqtt5: false, retained: true },
    behaviour: [
      SHARE_FALLBACK,
      QOS2_REFUSED + ' (RabbitMQ would take a QoS 2 PUBLISH as QoS 1.)',
      NO_MQTT5 + ' (RabbitMQ 3.10 closes the connection without a CONNACK; after two such closes Init stops retrying.)',
      STATE_TESTED,
    ],
    configure: ['`rabbitmq-plugins enable rabbitmq_mqtt`; `mqtt.allow_anonymous` or a user in `username`/`password`.', 'Component: `qos` 0 or 1.', STATE_SERVICE],
  },
  {
    id: 'emqx',
    name: 'EMQX',
    version: '5.x',
    tested: false,
    features: { sharedSubscriptions: true, qos2: true, mqtt5: true, retained: true },
    behaviour: ['Everything the component uses is documented as supported; a cluster can be listed whole in `url`.'],
    configure: ['Shared subscriptions are on by default (`$share/<group>/<topic>`).', STATE_SERVICE],
    source: 'https://docs.emqx.com/en/emqx/latest/messaging/mqtt-shared-subscription.html',
  },
  {
    id: 'hivemq',
    name: 'HiveMQ',
    version: '4.x',
    tested: false,
    features: { sharedSubscriptions: true, qos2: true, mqtt5: true, retained: true },
    behaviour: ['Everything the component uses is documented as supported.'],
    configure: ['Maximum packet size: set `maxPublishSize` to the broker\'s limit with MQTT 3.1.1 (MQTT 5 announces it in the CONNACK).', STATE_SERVICE],
    source: 'https://docs.hivemq.com/hivemq/latest/user-guide/shared-subscriptions.html',
  },
  {
    id: 'vernemq',
    name: 'VerneMQ',
    version: '1.x',
    tested: false,
    features: { sharedSubscriptions: true, qos2: true, mqtt5: true, retained: true },
    behaviour: ['Everything the component uses is documented as supported.'],
    configure: ['MQTT 5 must be enabled on the listener (`listener.tcp.allowed_protocol_versions = 3,4,5`) for `protocolVersion: "5"`.', STATE_SERVICE],
    source: 'https://docs.vernemq.com/configuring-vernemq/shared_subscriptions',
  },
  {
    id: 'azure-iot-operations',
    name: 'Azure IoT Operations MQTT broker',
    version: '1.x',
    tested: false,
    features: { sharedSubscriptions: true, qos2: false, mqtt5: true, retained: true },
    behaviour: [
      'QoS 2 is documented as not supported: Init with `qos: "2"` fails naming `qos` (MQTT 5: CONNACK Maximum QoS; MQTT 3.1.1: the probe).',
      'The CONNACK announces a Maximum Packet Size (from the memory profile): a larger message fails Publish with INVALID_ARGUMENT before it is sent.',
    ],
    configure: ['Log in with a service-account token: `satTokenPath` (K8S-SAT), `protocolVersion: "5"`, TLS with `caCertPath`.', STATE_SERVICE],
    source: 'https://learn.microsoft.com/azure/iot-operations/reference/mqtt-support',
  },
  {
    id: 'azure-event-grid',
    name: 'Azure Event Grid MQTT broker',
    version: 'namespace MQTT broker (2025)',
    tested: false,
    features: { sharedSubscriptions: true, qos2: false, mqtt5: true, retained: true },
    behaviour: [
      'QoS 2 is documented as not supported (a QoS 2 PUBLISH closes the connection): Init with `qos: "2"` fails naming `qos` (MQTT 5: CONNACK Maximum QoS; MQTT 3.1.1: the probe).',
      'Retained messages are documented as supported, up to 64 KB per retained message.',
    ],
    configure: [
      'TLS with a client certificate (`clientCertPath`, `clientKeyPath`), the client id registered in the namespace (`clientId`), `protocolVersion: "5"`.',
      'Topic spaces must allow the component\'s topics (and, with MQTT 3.1.1, `dapr-mqtt-probe/#` for the probe; otherwise it logs that it could not decide).',
      '`maxPublishSize` at the documented message size limit.',
      STATE_SERVICE,
    ],
    source: 'https://learn.microsoft.com/azure/event-grid/mqtt-support',
  },
];

export function brokerProfile(id: string): BrokerProfile {
  const p = BROKER_PROFILES.find((b) => b.id === id);
  if (!p) throw new Error(`no broker profile "${id}"`);
  return p;
}
