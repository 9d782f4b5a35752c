/** Renders docs/brokers.md from the broker profiles (scripts/brokers-doc.ts writes it; brokers-doc.test.ts checks it). */
import { BROKER_PROFILES, type BrokerFeatures, type BrokerProfile } from './broker-profiles.js';

const FEATURE_NAMES: ReadonlyArray<[keyof BrokerFeatures, string]> = [
  ['sharedSubscriptions', 'Shared subscriptions'],
  ['qos2', 'QoS 2'],
  ['mqtt5', 'MQTT 5'],
  ['retained', 'Retained'],
];

const mark = (v: boolean): string => (v ? 'yes' : '**no**');

function section(p: BrokerProfile): string[] {
  const lines = [`### ${p.name} (${p.version})`, '', p.tested ? '*Tested here by the interop suite.*' : `*Documented, not tested here* (source: ${p.source ?? 'vendor documentation'}).`, ''];
  lines.push('What the component does:', '', ...p.behaviour.map((b) => `- ${b}`), '', 'What to configure:', '', ...p.configure.map((c) => `- ${c}`), '');
  return lines;
}

export function renderBrokersDoc(): string {
  const header = ['| Broker | Version | Tested here | ' + FEATURE_NAMES.map(([, n]) => n).join(' | ') + ' |', '|---|---|---|' + FEATURE_NAMES.map(() => '---|').join('')];
  const rows = BROKER_PROFILES.map(
    (p) => `| ${p.name} | ${p.version} | ${p.tested ? 'yes' : 'documented, not tested here'} | ${FEATURE_NAMES.map(([k]) => mark(p.features[k])).join(' | ')} |`,
  );
  return [
    '# Brokers',
    '',
    '<!-- Generated from test/interop/broker-profiles.ts by `npm run docs:brokers`; test/interop/brokers-doc.test.ts fails when it is stale. -->',
    '',
    'The component works against any MQTT 3.1.1 or 5 broker given in `url`. Brokers differ; the',
    'component learns at Init what the broker really does and never relies on something it lacks:',
    '',
    '- **MQTT 5**: from the CONNACK (Shared Subscription Available, Maximum QoS, Retain Available, Maximum Packet Size).',
    '- **MQTT 3.1.1**: a probe on the publisher connection, on a private topic `dapr-mqtt-probe/<random>/...`',
    '  (at most 1.5 s, less when connecting took long, so Init stays inside daprd\'s 5 s): a QoS 2',
    '  subscription (the granted QoS is the most the broker does), and a',
    '  `$share/<random group>/...` subscription plus one message to it and one to a plain subscription.',
    '  Plain arrives, shared does not (within 250 ms after it): the broker has no shared subscriptions.',
    '  A refused or unanswered probe leaves the configuration in charge, with a warning in the log.',
    '',
    'What it does with the answer:',
    '',
    '- **No shared subscriptions**: it subscribes without `$share/<consumerID>/` (a `$share/<group>/` written',
    '  in the topic is taken off too) and logs a warning. Nothing is lost; every replica of an app gets every',
    '  message. This was chosen over failing Init so that a default Component (only `url` and `consumerID`)',
    '  works on every broker; set `sharedSubscriptions: "false"` to make it explicit.',
    '- **At most QoS 1**: Init with `qos: "2"` fails with FAILED_PRECONDITION naming `qos`; Publish metadata',
    '  `qos: "2"` fails with FAILED_PRECONDITION naming it. Never UNAVAILABLE: that would make daprd retry a',
    '  condition that cannot clear. A subscription asking for QoS 2 takes the QoS 1 the broker grants.',
    '- **No retained messages** (MQTT 5 CONNACK): Init with `retain: "true"` fails naming `retain`; Publish',
    '  metadata `retain: "true"` fails with FAILED_PRECONDITION.',
    '- **Maximum Packet Size** (MQTT 5 CONNACK): a larger message fails Publish with INVALID_ARGUMENT before it',
    '  is sent. MQTT 3.1.1 brokers cannot say: set `maxPublishSize` to their limit.',
    '- **No MQTT 5**: Init with `protocolVersion: "5"` fails with FAILED_PRECONDITION naming `protocolVersion`.',
    '',
    '## Clusters: several brokers in `url`',
    '',
    '`url` takes a comma-separated list, e.g. `tcp://nats-1:1883,tcp://nats-2:1883,tcp://nats-3:1883`. Every',
    'entry follows the same rules (scheme, host, percent-encoded credentials; all TLS or none; credentials in',
    'several entries must agree); a bad entry fails Init naming `url`. Connections try the list in order and',
    'move to the next entry after every closed connection, a failed connect or a lost link alike, with the',
    'usual backoff, which grows per round through the list (after a node is lost, the others are tried at',
    'the initial 0.5 s); TLS host names are verified per entry. Persistent sessions continue where the cluster',
    'keeps them (NATS with `mqtt { stream_replicas: 3 }`). The standalone state service takes the same list',
    'in `STATE_SERVICE_URL`. A node that does not answer at all holds the first attempt for `connectTimeout`.',
    '',
    '## Compatibility',
    '',
    ...header,
    ...rows,
    '',
    ...BROKER_PROFILES.flatMap(section),
    '## The interop suite',
    '',
    '`npm test` runs `dist/test/interop/*.test.js`: each broker is started by the tests as its own process on',
    'free loopback ports (bundled broker, a private Mosquitto, a NATS node with JetStream and MQTT, a private',
    'RabbitMQ node with `rabbitmq_mqtt`, and a three-node NATS cluster), never the machine\'s own services. Each',
    'runs the I rows (default metadata delivers everything; every feature works or is detected and handled as',
    'above) and the whole pub/sub conformance suite, with the broker\'s missing features asserted absent. The',
    'cluster test kills the node in use with SIGKILL mid-stream and requires 0 acknowledged messages lost.',
    'A missing broker binary fails the test with one line naming it.',
    '',
  ].join('\n');
}
