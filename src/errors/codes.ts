/**
 * Every error the component reports, declared once. `status` is the gRPC status name the
 * gRPC layer maps it to; docs/errors.md is generated from this list (npm run docs:tables) and checked by a test.
 */
export const ERROR_CODES = {
  ERR_CONFIG_REQUIRED: {
    status: 'INVALID_ARGUMENT',
    description: 'A required metadata field is missing or empty; the message names the key.',
  },
  ERR_CONFIG_INVALID: {
    status: 'INVALID_ARGUMENT',
    description: 'A metadata field has a value that cannot be used (bad number, scheme, PEM, ...); the message names the key.',
  },
  ERR_INSTANCE_LIMIT: {
    status: 'RESOURCE_EXHAUSTED',
    description: 'Init of a new component instance when `MAX_INSTANCES` instances (pub/sub and state together) are already initialized in this process; Init of an existing one still works.',
  },
  ERR_NOT_INITIALIZED: {
    status: 'FAILED_PRECONDITION',
    description: 'A call arrived for a component instance before a successful Init.',
  },
  ERR_PUBLISH_TOPIC_INVALID: {
    status: 'INVALID_ARGUMENT',
    description: 'Publish topic is empty, contains `+` or `#`, or is otherwise not a valid MQTT topic name (MQTT 5: also a PUBACK with reason code 0x90).',
  },
  ERR_PUBLISH_METADATA_INVALID: {
    status: 'INVALID_ARGUMENT',
    description: 'Per-request Publish metadata `qos`, `retain`, or (MQTT 5) `ttlInSeconds`, `contentType` or a user property has an invalid value; the message names the key.',
  },
  ERR_PUBLISH_TOO_LARGE: {
    status: 'INVALID_ARGUMENT',
    description: 'The message would make an MQTT packet larger than `maxPublishSize` or (MQTT 5) the Maximum Packet Size in the broker\'s CONNACK; it is not sent. Also a PUBACK with reason code 0x95.',
  },
  ERR_PUBLISH_UNAVAILABLE: {
    status: 'UNAVAILABLE',
    description: 'The broker link was down for longer than the publish timeout, or the broker did not acknowledge in time; retry is safe.',
  },
  ERR_PUBLISH_DENIED: {
    status: 'PERMISSION_DENIED',
    description: 'MQTT 5: the broker answered the publish with reason code 0x87 (not authorized): check its ACL.',
  },
  ERR_PUBLISH_QUOTA_EXCEEDED: {
    status: 'RESOURCE_EXHAUSTED',
    description: 'MQTT 5: the broker answered the publish with reason code 0x97 (quota exceeded).',
  },
  ERR_PUBLISH_PAYLOAD_INVALID: {
    status: 'INVALID_ARGUMENT',
    description: 'MQTT 5: the broker answered the publish with reason code 0x99 (payload format invalid).',
  },
  ERR_PUBLISH_BUSY: {
    status: 'UNAVAILABLE',
    description: 'MQTT 5: the broker answered the publish with reason code 0x91 (packet identifier in use); retry is safe.',
  },
  ERR_PUBLISH_OVERLOADED: {
    status: 'RESOURCE_EXHAUSTED',
    description:
      'Publish found `maxInflightPublishes` publishes awaiting the broker and `maxPendingPublishes` more waiting for a slot (the broker is slow or unreachable): it fails at once instead of queueing; retry later.',
  },
  ERR_PUBLISH_REJECTED: {
    status: 'INTERNAL',
    description: 'The broker refused the message with another reason code (named in the message), or the MQTT client rejected it.',
  },
  ERR_SUBSCRIBE_STREAM_LIMIT: {
    status: 'RESOURCE_EXHAUSTED',
    description: '`MAX_STREAMS` PullMessages streams are already open in this process: the new stream ends at once with this error.',
  },
  ERR_SUBSCRIBE_TOPIC_MISSING: {
    status: 'INVALID_ARGUMENT',
    description: 'The first PullMessages request did not name a topic.',
  },
  ERR_SUBSCRIBE_TOPIC_INVALID: {
    status: 'INVALID_ARGUMENT',
    description: 'The subscription topic is not a valid MQTT topic filter (MQTT 5: also a SUBACK with reason code 0x8F, which ends the stream).',
  },
  ERR_SUBSCRIBE_METADATA_INVALID: {
    status: 'INVALID_ARGUMENT',
    description: 'Subscription metadata (for example `qos`) has an invalid value.',
  },
  ERR_SUBSCRIBE_DENIED: {
    status: 'PERMISSION_DENIED',
    description: 'MQTT 5: the broker refused the subscription with reason code 0x87 (not authorized); the PullMessages stream ends with this error.',
  },
  ERR_SUBSCRIBE_QUOTA_EXCEEDED: {
    status: 'RESOURCE_EXHAUSTED',
    description: 'MQTT 5: the broker refused the subscription with reason code 0x97 (quota exceeded); the PullMessages stream ends with this error.',
  },
  ERR_SUBSCRIBE_BUSY: {
    status: 'UNAVAILABLE',
    description: 'MQTT 5: the broker refused the subscription with reason code 0x91 (packet identifier in use); the PullMessages stream ends with this error.',
  },
  ERR_SUBSCRIBE_REJECTED: {
    status: 'INTERNAL',
    description: 'The broker refused the subscription with another reason code (MQTT 3.1.1: 0x80, no reason given); the PullMessages stream ends with this error, naming the code.',
  },
  ERR_BROKER_UNREACHABLE: {
    status: 'UNAVAILABLE',
    description: 'Init could not connect to the broker within `connectTimeout` (refused, DNS, timeout); the message names the host and the cause.',
  },
  ERR_BROKER_REJECTED: {
    status: 'PERMISSION_DENIED',
    description: 'The broker refused the connection (bad credentials, not authorized) or its TLS certificate failed verification.',
  },
  ERR_BROKER_PROTOCOL_UNSUPPORTED: {
    status: 'FAILED_PRECONDITION',
    description: 'Init with `protocolVersion` 5: the broker does not support MQTT 5 (the bundled broker speaks MQTT 3.1.1 only); use `protocolVersion` 4.',
  },
  ERR_SHUTTING_DOWN: {
    status: 'UNAVAILABLE',
    description: 'The component is shutting down and accepts no new work.',
  },
  ERR_BROKER_PORT_IN_USE: {
    status: 'UNAVAILABLE',
    description: 'The bundled broker could not listen: the port is taken (set MQTT_BROKER_PORT, or MQTT_BROKER=off).',
  },
  ERR_BROKER_START: {
    status: 'UNAVAILABLE',
    description: 'The bundled broker could not start (data directory not writable, persistence failure, ...).',
  },
  ERR_SOCKET_BIND: {
    status: 'UNAVAILABLE',
    description: 'The Unix socket could not be created (folder not writable, path too long, ...).',
  },
  ERR_METRICS_LISTEN: {
    status: 'UNAVAILABLE',
    description: 'The metrics and health server could not listen: `METRICS_PORT` is taken or `METRICS_HOST` is not a local address.',
  },
  ERR_STATE_ETAG_MISMATCH: {
    status: 'FAILED_PRECONDITION',
    description: 'The etag does not match the stored one, the key is gone, or a first-write found the key present. daprd answers 409.',
  },
  ERR_STATE_ETAG_INVALID: {
    status: 'INVALID_ARGUMENT',
    description: 'The etag is not one the state service issues (a decimal version). daprd answers 400.',
  },
  ERR_STATE_REQUEST_INVALID: {
    status: 'INVALID_ARGUMENT',
    description: 'A state request field or metadata value cannot be used (empty key, bad `ttlInSeconds`, bad query); the message names it.',
  },
  ERR_STATE_REQUEST_TOO_LARGE: {
    status: 'INVALID_ARGUMENT',
    description: 'The state request would make an MQTT packet larger than the protocol (or, with MQTT 5, the broker\'s Maximum Packet Size) allows; nothing is sent.',
  },
  ERR_STATE_UNAVAILABLE: {
    status: 'UNAVAILABLE',
    description: 'The state request could not reach the broker within `requestTimeout`, or the state service cannot serve now; nothing was applied, retry is safe.',
  },
  ERR_STATE_TIMEOUT: {
    status: 'DEADLINE_EXCEEDED',
    description: 'The request reached the broker but no reply came within `requestTimeout`: the outcome is unknown (is a state service attached?).',
  },
  ERR_STATE_NO_SERVICE: {
    status: 'UNAVAILABLE',
    description: 'Init found no state service answering on the broker within `connectTimeout`: use the bundled broker or run `npm run state-service` against it.',
  },
  ERR_STATE_REPLY_DENIED: {
    status: 'PERMISSION_DENIED',
    description: 'The broker refused the subscription to this client\'s state reply topic (check the broker ACL).',
  },
  ERR_STATE_OVERLOADED: {
    status: 'RESOURCE_EXHAUSTED',
    description:
      'The state request found 1024 requests awaiting the broker and 1024 more waiting for a slot (the broker is slow or unreachable): it fails at once, nothing was sent; retry later. daprd answers 429.',
  },
  ERR_STATE_STORE_FULL: {
    status: 'RESOURCE_EXHAUSTED',
    description: 'The state service is out of space or the request exceeds its limits; nothing was applied.',
  },
  ERR_STATE_SERVICE_FAILED: {
    status: 'INTERNAL',
    description: 'The state service failed to apply the request for an unexpected reason; the message says what failed.',
  },
  ERR_REQUEST_UNDECODABLE: {
    status: 'INVALID_ARGUMENT',
    description: 'The request bytes are not a valid protobuf message of the RPC\'s type (garbage or truncated input).',
  },
  ERR_INTERNAL: {
    status: 'INTERNAL',
    description: 'An unexpected failure; the message says what failed.',
  },
} as const satisfies Record<string, { status: StatusName; description: string }>;

export type StatusName =
  | 'INVALID_ARGUMENT'
  | 'FAILED_PRECONDITION'
  | 'UNAVAILABLE'
  | 'INTERNAL'
  | 'NOT_FOUND'
  | 'PERMISSION_DENIED'
  | 'RESOURCE_EXHAUSTED'
  | 'DEADLINE_EXCEEDED'
  | 'UNIMPLEMENTED';

export type ErrorCode = keyof typeof ERROR_CODES;
