/** One Component metadata field: the single source for parsing and docs/configuration.md's tables (generated, checked by a test). */
export interface MetadataField {
  readonly name: string;
  readonly type: 'string' | 'url' | 'integer' | 'boolean' | 'duration' | 'pem' | 'path';
  readonly required: boolean;
  /** Default as written in YAML; undefined when there is none. */
  readonly default?: string;
  /** Never logged, never echoed in an error message. */
  readonly sensitive: boolean;
  readonly description: string;
}

/** Connection fields shared by every block that talks to the broker. */
export const CONNECTION_FIELDS: readonly MetadataField[] = [
  {
    name: 'url',
    type: 'url',
    required: true,
    sensitive: true,
    description:
      'Broker address: `tcp://`, `mqtt://`, `tcps://`, `ssl://`, `mqtts://`, `tls://`, `ws://`, `wss://`. `user:password@` is percent-decoded; a ws path (default `/mqtt`) is kept. Several brokers (the nodes of a cluster) separated by commas: tried in order, each failed (re)connect moves to the next; all TLS or none (docs/brokers.md).',
  },
  { name: 'username', type: 'string', required: false, sensitive: false, description: 'MQTT user name; overrides one in `url`.' },
  { name: 'password', type: 'string', required: false, sensitive: true, description: 'MQTT password; overrides one in `url`.' },
  {
    name: 'satTokenPath',
    type: 'path',
    required: false,
    sensitive: false,
    description:
      'File holding a Kubernetes service-account token (a projected volume), to log in to Azure IoT Operations\' MQTT broker: with `protocolVersion` 4 as user `K8S-SAT` with the token as password, with 5 by enhanced authentication (method `K8S-SAT`, the token as authentication data). Read again before every (re)connect and when it changes (MQTT 5 then re-authenticates the open connections), so a rotated token never breaks the link. Not with `username`, `password` or credentials in `url`.',
  },
  {
    name: 'clientId',
    type: 'string',
    required: false,
    sensitive: false,
    description:
      'Base MQTT client id (daprd substitutes `{uuid}`, `{podName}`). Connections use `<clientId>-pub` and `<clientId>-sub-<hash of topic>`. Default: `<consumerID>-<hash of host name and component name>`.',
  },
  { name: 'caCert', type: 'pem', required: false, sensitive: false, description: 'PEM CA certificate(s) the broker certificate must chain to; needs a TLS scheme. Hostname verification is always on.' },
  {
    name: 'caCertPath',
    type: 'path',
    required: false,
    sensitive: false,
    description:
      'File holding `caCert` (not both). Checked at Init; read again when it changes and before every reconnect: the next connection uses it, and a changed file that does not parse is logged and the previous one kept.',
  },
  { name: 'clientCert', type: 'pem', required: false, sensitive: false, description: 'PEM client certificate for mutual TLS; needs `clientKey`.' },
  {
    name: 'clientCertPath',
    type: 'path',
    required: false,
    sensitive: false,
    description: 'File holding `clientCert` (not both); reloaded like `caCertPath`. Certificate and key are replaced together, once they match.',
  },
  { name: 'clientKey', type: 'pem', required: false, sensitive: true, description: 'PEM private key of `clientCert`.' },
  { name: 'clientKeyPath', type: 'path', required: false, sensitive: false, description: 'File holding `clientKey` (not both); reloaded like `caCertPath`.' },
  { name: 'keepAlive', type: 'integer', required: false, default: '30', sensitive: false, description: 'MQTT keepalive in seconds (1-65535).' },
  { name: 'connectTimeout', type: 'duration', required: false, default: '4s', sensitive: false, description: 'How long Init waits for the first connection (keep it under daprd\'s 5 s init timeout).' },
  {
    name: 'protocolVersion',
    type: 'integer',
    required: false,
    default: '4',
    sensitive: false,
    description:
      '`4` (MQTT 3.1.1) or `5` (MQTT 5: metadata as user properties, `ttlInSeconds` as message expiry, session expiry, reason codes, the broker\'s flow-control limits). A broker without MQTT 5, such as the bundled one, fails Init.',
  },
];

/** Fields of `pubsub.mqtt-pluggable`; names follow Dapr's `pubsub.mqtt3` so YAMLs port over. */
export const PUBSUB_FIELDS: readonly MetadataField[] = [
  ...CONNECTION_FIELDS,
  { name: 'consumerID', type: 'string', required: true, sensitive: false, description: 'Consumer group; daprd sets it to the app id unless given.' },
  {
    name: 'sharedSubscriptions',
    type: 'boolean',
    required: false,
    default: 'true',
    sensitive: false,
    description:
      'Subscribe through `$share/<consumerID>/<topic>`, so replicas of one app share the messages (each to one replica) and other apps each get all. `false`: every replica gets every message.',
  },
  { name: 'qos', type: 'integer', required: false, default: '1', sensitive: false, description: 'QoS 0, 1 or 2 for publishes and subscriptions. Publish metadata `qos` overrides it per message.' },
  { name: 'retain', type: 'boolean', required: false, default: 'false', sensitive: false, description: 'Publish with the retain flag. Publish metadata `retain` overrides it per message.' },
  { name: 'cleanSession', type: 'boolean', required: false, default: 'false', sensitive: false, description: 'false: the broker keeps subscriptions and queues messages while a subscriber is away.' },
  {
    name: 'sessionExpiryInterval',
    type: 'integer',
    required: false,
    sensitive: false,
    description:
      'MQTT 5 only (INVALID_ARGUMENT with `protocolVersion` 4): seconds the broker keeps a subscriber\'s session after it disconnects (0-4294967295; 4294967295 = never expires); replaces `cleanSession`. Default from `cleanSession`: false → 4294967295, true → 0.',
  },
  { name: 'publishTimeout', type: 'duration', required: false, default: '10s', sensitive: false, description: 'How long Publish waits (for the link, then the broker\'s ack) before failing with UNAVAILABLE.' },
  { name: 'maxInflightPublishes', type: 'integer', required: false, default: '1024', sensitive: false, description: 'Cap on QoS>0 publishes awaiting the broker\'s ack; further publishes wait (within `publishTimeout`).' },
  {
    name: 'maxPendingPublishes',
    type: 'integer',
    required: false,
    default: '1024',
    sensitive: false,
    description:
      'Publishes that may wait for one of those slots (0-1000000); one more fails at once with RESOURCE_EXHAUSTED instead of queueing, so a slow or unreachable broker cannot grow memory without bound. A BulkPublish sends at most `maxInflightPublishes` of its entries at a time.',
  },
  { name: 'redeliveryInitialDelay', type: 'duration', required: false, default: '100ms', sensitive: false, description: 'Delay before a nacked message is delivered again; doubles per attempt.' },
  { name: 'redeliveryMaxDelay', type: 'duration', required: false, default: '10s', sensitive: false, description: 'Upper bound of the redelivery delay.' },
  {
    name: 'maxPublishSize',
    type: 'integer',
    required: false,
    default: '268435455',
    sensitive: false,
    description:
      'Largest MQTT packet Publish sends, in bytes; set it to the broker\'s limit (Mosquitto `max_packet_size`) so an oversized message fails at once with INVALID_ARGUMENT instead of making the broker drop the link.',
  },
  {
    name: 'maxDeliverySize',
    type: 'integer',
    required: false,
    default: '4194304',
    sensitive: false,
    description:
      'Largest message handed to daprd, in bytes (daprd receives at most 4 MiB per gRPC message). A larger message is logged as an error and acknowledged, so it neither breaks the stream nor blocks the subscription.',
  },
  { name: 'maxBufferedMessages', type: 'integer', required: false, default: '1000', sensitive: false, description: 'Messages a subscription holds before it stops reading from the broker (backpressure).' },
  {
    name: 'deliveryReadAhead',
    type: 'integer',
    required: false,
    default: '1',
    sensitive: false,
    description:
      "Messages of one subscription handed to daprd before the first is acked (1–100). daprd 1.16–1.18 handles a stream's messages one after another: there read-ahead keeps the order and only has the next message waiting when daprd acks (about 1.25–2× the delivery rate). daprd 1.15 and older, and releases with dapr/dapr#10472, handle them concurrently: there up to this many reach the app at once, in no guaranteed order, as with pubsub.mqtt3. PUBACKs always go in arrival order; a nacked message is redelivered alone. The default 1 keeps strict per-topic order on every daprd.",
  },
];

/** Fields of `state.mqtt-pluggable`: the connection fields plus the state protocol's own. */
export const STATE_FIELDS: readonly MetadataField[] = [
  ...CONNECTION_FIELDS.map((f) =>
    f.name === 'clientId'
      ? {
          ...f,
          description:
            'Base MQTT client id (daprd substitutes `{uuid}`, `{podName}`); the state connection uses `<clientId>-state` and its reply topic names it, so only letters, digits, `.`, `_`, `:`, `@`, `-`. Default: `dapr-state-<hash of host name, socket path and component name>`.',
        }
      : f,
  ),
  {
    name: 'requestTimeout',
    type: 'duration',
    required: false,
    default: '5s',
    sensitive: false,
    description:
      'How long a state operation waits for the state service: UNAVAILABLE if the request could not reach the broker in time, DEADLINE_EXCEEDED if no reply came.',
  },
  {
    name: 'stateService',
    type: 'string',
    required: false,
    default: 'default',
    sensitive: false,
    description: 'Which state service on the broker answers (its `STATE_SERVICE_NAME`): the `<service>` level of the state topics.',
  },
  {
    name: 'keyspace',
    type: 'string',
    required: false,
    sensitive: false,
    description: 'Key namespace in the state service. Default: the Component name, so two state components never see each other\'s keys; give two the same keyspace to share.',
  },
];
