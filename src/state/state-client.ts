import { randomBytes } from 'node:crypto';
import type { StateConfig } from '../config/state-config.js';
import type { Logger } from '../logging/logger.js';
import { ComponentError } from '../errors/component-error.js';
import type { InboundMessage, LinkUp, MqttLink } from '../mqtt/mqtt-link.js';
import { openMqttLink } from '../mqtt/mqttjs-link.js';
import { Publisher, type PublishOptions } from '../mqtt/publisher.js';
import { DeadlineQueue, type Deadline } from '../mqtt/deadline-queue.js';
import { decodeStateReply, encodeStateRequest, type StateOp } from '../mqtt/state-envelope.js';
import { stateReplyTopic, stateRequestTopic } from '../mqtt/state-topics.js';
import { mqttPublishPacketSize, publishPropertiesSize } from '../mqtt/packet-size.js';
import { reasonCodeText } from '../mqtt/reason-codes.js';
import { fromStateError } from './from-state-error.js';
import { NO_STATE_METRICS, timedOutcome, type StateMetrics } from '../metrics/component-metrics.js';

/** MQTT 3.1.1 requests: the same options every time (the link does not change them). */
const REQUEST_OPTIONS: PublishOptions = Object.freeze({ qos: 1, retain: false });

/** The largest packet MQTT can carry (remaining length of 268,435,455 bytes). */
const MQTT_MAX_PACKET = 268_435_455;
/** Requests awaiting the broker's ack at once; more wait for a slot within `requestTimeout`. */
const MAX_INFLIGHT_REQUESTS = 1024;

interface Pending {
  readonly resolve: (body: Buffer) => void;
  readonly reject: (err: Error) => void;
  readonly op: StateOp;
  readonly envelope: Buffer;
  readonly options: PublishOptions;
  /** The broker acknowledged it: sent again after a reconnect until the reply comes. */
  acked: boolean;
  /** The reply deadline, set once the broker acknowledged the request. */
  deadline: Deadline | undefined;
}

/**
 * Request/reply over MQTT to the state service: one link, requests at QoS 1 on this client's
 * request topic, replies at QoS 1 on its reply topic. Dapr messages go through as bytes, never
 * decoded here. The session is clean: a persistent one made the broker store every reply on
 * disk (bench B4: Get 5.0k → 13.2k ops/s without it). A reply lost with a link is made up for by
 * sending the request again after EVERY reconnect (the link numbers its links, so no listener
 * can miss the first one), with the same request id: the service answers a write it already
 * applied from its dedupe table, so it is applied once.
 */
export class StateClient {
  private readonly pending = new Map<string, Pending>();
  private readonly requestTopic: string;
  private readonly replyTopic: string;
  /** Random per process start, so ids never repeat across restarts (the service dedupes on them). */
  private readonly idPrefix = randomBytes(8).toString('hex');
  private readonly replyDeadlines = new DeadlineQueue();
  private counter = 0;
  private closed = false;

  private constructor(
    private readonly config: StateConfig,
    private readonly keyspace: string,
    private readonly link: MqttLink,
    private readonly publisher: Publisher,
    private readonly logger: Logger,
    private readonly metrics: StateMetrics,
  ) {
    this.requestTopic = stateRequestTopic(config.service, link.clientId);
    this.replyTopic = stateReplyTopic(config.service, link.clientId);
    link.onMessage((message, readMore) => {
      if (message.topic === this.replyTopic) this.onReply(message);
      else message.ack();
      readMore();
    });
    link.onUp((up) => this.onLinkUp(up));
  }

  /** Connects and subscribes to the reply topic; fails within `connectTimeout`. */
  static async connect(config: StateConfig, clientId: string, keyspace: string, logger: Logger, metrics: StateMetrics = NO_STATE_METRICS): Promise<StateClient> {
    const link = openMqttLink({ connection: config.connection, clientId, clean: true, logger });
    try {
      await link.waitUntilUp(config.connection.connectTimeoutMs);
      return await StateClient.over(link, config, keyspace, logger, metrics);
    } catch (err) {
      await link.close();
      throw err;
    }
  }

  /** A state client on a link that is up (its client id names the topics); subscribes to the replies. */
  static async over(link: MqttLink, config: StateConfig, keyspace: string, logger: Logger, metrics: StateMetrics = NO_STATE_METRICS): Promise<StateClient> {
    const publisher = new Publisher(link, config.requestTimeoutMs, MAX_INFLIGHT_REQUESTS, {
      timeoutField: 'requestTimeout',
      unavailableCode: 'ERR_STATE_UNAVAILABLE',
      // At most 1024 more wait for a slot (DEFAULT_MAX_PENDING); beyond, RESOURCE_EXHAUSTED at once.
      overloadedCode: 'ERR_STATE_OVERLOADED',
      limitsName: 'state requests in flight and waiting, 1024 each',
    });
    const client = new StateClient(config, keyspace, link, publisher, logger, metrics);
    await client.subscribeReplies();
    return client;
  }

  get connected(): boolean {
    return this.link.ready;
  }

  private onLinkUp(up: LinkUp): void {
    if (!up.reconnect || this.closed) return;
    this.metrics.reconnected('state');
    // A new (clean) session: subscribe to the replies again, then resend what awaits a reply.
    this.subscribeReplies().then(
      () => {
        for (const p of this.pending.values()) {
          if (p.acked) this.publisher.publish(this.requestTopic, p.envelope, p.options).catch(() => undefined);
        }
      },
      (err: unknown) => this.logger.warn({ error: (err as Error).message }, 'state reply subscription failed after reconnect'),
    );
  }

  private async subscribeReplies(): Promise<void> {
    // MQTT 3.1.1 refuses with 0x80; MQTT 5 e.g. with 0x87 (not authorized).
    const { refused } = await this.link.subscribe(this.replyTopic, 1);
    if (refused !== undefined) {
      throw new ComponentError(
        'ERR_STATE_REPLY_DENIED',
        `broker ${this.config.connection.displayAddress} refused the subscription to ${this.replyTopic} (reason code ${reasonCodeText(refused)})`,
        { field: 'clientId' },
      );
    }
  }

  /**
   * Sends one operation and resolves with the serialized Dapr response from the reply.
   * UNAVAILABLE when the request could not be handed to the broker in time (never applied),
   * DEADLINE_EXCEEDED when it was but no reply came (outcome unknown).
   */
  request(op: StateOp, body: Uint8Array, timeoutMs = this.config.requestTimeoutMs): Promise<Buffer> {
    return timedOutcome(this.metrics.startOperation(op), () => this.send(op, body, timeoutMs));
  }

  /** Not async: one promise per request (errors before the send are rejected promises too). */
  private send(op: StateOp, body: Uint8Array, timeoutMs: number): Promise<Buffer> {
    if (this.closed) return Promise.reject(new ComponentError('ERR_SHUTTING_DOWN', 'the component is shutting down'));
    const deadline = Date.now() + timeoutMs;
    this.counter += 1;
    const requestId = `${this.idPrefix}-${this.counter.toString(36)}`;
    const envelope = encodeStateRequest({ requestId, replyTopic: this.replyTopic, keyspace: this.keyspace, deadlineUnixMs: deadline }, op, body);
    // MQTT 5 request/response (§4.10): the envelope keeps its own copies, so v4 and v5 clients share one service.
    const options: PublishOptions =
      this.config.connection.protocolVersion === 5
        ? { qos: 1, retain: false, properties: { responseTopic: this.replyTopic, correlationData: Buffer.from(requestId) } }
        : REQUEST_OPTIONS;
    const size = mqttPublishPacketSize(this.requestTopic, envelope.length, options.properties && publishPropertiesSize(options.properties));
    const limit = Math.min(MQTT_MAX_PACKET, this.publisher.brokerMaxPacketSize ?? MQTT_MAX_PACKET);
    if (size > limit) {
      const whose = limit === MQTT_MAX_PACKET ? "MQTT's" : "the broker's Maximum Packet Size of";
      return Promise.reject(new ComponentError('ERR_STATE_REQUEST_TOO_LARGE', `state request too large: ${size} bytes, above ${whose} ${limit}`, { field: 'items' }));
    }
    return new Promise<Buffer>((resolve, reject) => {
      const pending: Pending = { resolve, reject, op, envelope, options, acked: false, deadline: undefined };
      this.pending.set(requestId, pending);
      this.publisher.publish(this.requestTopic, envelope, options).then(
        () => {
          if (this.pending.get(requestId) !== pending) return; // answered or closed already
          pending.acked = true;
          pending.deadline = this.replyDeadlines.add(deadline, () => {
            this.pending.delete(requestId);
            reject(
              new ComponentError(
                'ERR_STATE_TIMEOUT',
                `no reply from the state service within requestTimeout (${timeoutMs} ms) on broker ${this.config.connection.displayAddress}; the ${op} may or may not have been applied`,
              ),
            );
          });
        },
        (err: unknown) => {
          if (this.pending.get(requestId) !== pending) return;
          this.pending.delete(requestId);
          reject(err as Error);
        },
      );
    });
  }

  private onReply(message: InboundMessage): void {
    // A reply is acknowledged as soon as it is read: a lost one is made up for by a resend.
    message.ack();
    let decoded;
    try {
      decoded = decodeStateReply(message.payload);
    } catch (err) {
      this.logger.warn({ error: (err as Error).message }, 'undecodable state reply ignored');
      return;
    }
    // MQTT 5: the reply carries the request's correlation data; it must name the same request.
    const correlation = message.properties?.correlationData;
    if (correlation !== undefined && correlation.toString() !== decoded.requestId) {
      this.logger.warn({ requestId: decoded.requestId }, 'state reply whose correlation data does not match its request id ignored');
      return;
    }
    const waiting = this.pending.get(decoded.requestId);
    if (!waiting) {
      this.logger.debug({ requestId: decoded.requestId }, 'state reply for no waiting request (late or duplicate) ignored');
      return;
    }
    this.pending.delete(decoded.requestId);
    waiting.deadline?.clear();
    if (decoded.error) waiting.reject(fromStateError(decoded.error));
    else if (decoded.op !== waiting.op) {
      waiting.reject(new ComponentError('ERR_STATE_SERVICE_FAILED', `state service answered a ${waiting.op} with a ${decoded.op} result`));
    } else waiting.resolve(decoded.body);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.publisher.close();
    this.replyDeadlines.stop();
    for (const [, p] of this.pending) p.reject(new ComponentError('ERR_SHUTTING_DOWN', 'the component is shutting down'));
    this.pending.clear();
    await this.link.close();
  }
}
