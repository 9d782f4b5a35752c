/**
 * The MQTT link as this component needs it, independent of the client library underneath.
 * Pub/sub and the state client depend on this interface only; `mqttjs-link.ts` is its one
 * implementation (around MQTT.js) and the only file that knows MQTT.js internals. See
 * docs/mqtt-link.md.
 */
import type { IClientPublishOptions } from 'mqtt';

export type QoS = 0 | 1 | 2;

/** MQTT 5 PUBLISH properties (user properties, content type, message expiry, response topic, ...). */
export type PublishProperties = NonNullable<IClientPublishOptions['properties']>;

export interface LinkPublishOptions {
  qos: QoS;
  retain: boolean;
  properties?: PublishProperties;
}

/**
 * What the broker supports, as learned from the latest CONNACK (MQTT 5 properties; the
 * protocol's defaults for 3.1.1). A reconnect, perhaps to another server, replaces it.
 */
export interface LinkCapabilities {
  readonly protocolVersion: 4 | 5;
  /** Unacknowledged QoS>0 publishes the broker accepts at once (65,535 when not given) [MQTT-3.2.2.3.3]. */
  readonly receiveMaximum: number;
  /** Largest packet the broker accepts; undefined = no limit announced [MQTT-3.2.2.3.6]. */
  readonly maximumPacketSize: number | undefined;
  /** Absent in the CONNACK means available [MQTT-3.2.2.3.16]. */
  readonly sharedSubscriptionAvailable: boolean;
  readonly retainAvailable: boolean;
  readonly maximumQoS: QoS;
}

/** The link came up: after a CONNACK and once the messages stored from an earlier link were resent. */
export interface LinkUp {
  /** 1 for the first link, +1 per reconnect. Acks are only valid on the generation they came on. */
  readonly generation: number;
  /** generation > 1. */
  readonly reconnect: boolean;
  readonly sessionPresent: boolean;
  readonly capabilities: LinkCapabilities;
}

/** How a publish ended when it did not succeed. */
export interface PublishFailure {
  readonly error: Error;
  /** MQTT 5: the PUBACK/PUBREC reason code (>= 0x80) when the broker refused it. */
  readonly reasonCode?: number;
  readonly reasonString?: string;
}

/** Called once: undefined on success (QoS 0: written; QoS 1/2: acknowledged), else why not. */
export type PublishCallback = (failure: PublishFailure | undefined) => void;

/** One publish, from `publish()` until the broker acknowledged it or it was withdrawn. */
export interface PublishHandle {
  /** The packet id it is sent with (QoS>0), once it was handed to the broker; the same on every link. */
  readonly messageId: number | undefined;
  /** True once the packet was written to some link (it may have reached the broker). */
  readonly sent: boolean;
  /**
   * Withdraws it: it is not sent (again) on this or any later link, and its callback is not
   * called. Returns false when it had already completed.
   */
  cancel(): boolean;
}

/** A message from the broker. QoS>0: the broker gets its PUBACK/PUBCOMP only from `ack()`. */
export interface InboundMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: QoS;
  readonly retain: boolean;
  readonly dup: boolean;
  /** Packet id (QoS>0). */
  readonly messageId: number | undefined;
  readonly properties: InboundProperties | undefined;
  /** Link generation it came on. */
  readonly generation: number;
  /**
   * Acknowledges it (QoS 1: PUBACK, QoS 2: PUBCOMP; QoS 0: nothing). Acks go out in the order
   * they are made, grouped per event-loop turn. False when its link is gone: the broker resends
   * it (persistent session) or has forgotten it (clean session).
   */
  ack(): boolean;
}

export interface InboundProperties {
  readonly userProperties?: Readonly<Record<string, string | string[]>>;
  readonly contentType?: string;
  readonly messageExpiryInterval?: number;
  readonly responseTopic?: string;
  readonly correlationData?: Buffer;
}

/**
 * Handles each inbound PUBLISH; call `readMore` when the link may read the next packet
 * (backpressure: until then nothing more is read from the socket).
 */
export type InboundHandler = (message: InboundMessage, readMore: () => void) => void;

/** A SUBACK: the granted QoS per filter, or the first failure reason code (>= 0x80). */
export interface SubscribeResult {
  readonly refused: number | undefined;
  readonly reasonString: string | undefined;
}

export interface MqttLink {
  readonly clientId: string;
  /** Up: CONNACK received and stored messages resent; publishes go out at once. */
  readonly ready: boolean;
  /** From the latest CONNACK; undefined before the first. */
  readonly capabilities: LinkCapabilities | undefined;
  /** Latest link error, for Ping and logs (never a secret). */
  readonly lastError: Error | undefined;
  /** Called on every link up, the first included, in the order listeners were added. */
  onUp(listener: (up: LinkUp) => void): void;
  /** Called when a link that was up goes down. */
  onDown(listener: () => void): void;
  /** Sets the one handler of inbound messages (set it before the first link comes up). */
  onMessage(handler: InboundHandler): void;
  /**
   * Sends a PUBLISH. While the link is not up it waits in the link (the handle can withdraw it);
   * it is never handed to the client library before the link is up.
   */
  publish(topic: string, payload: Buffer, options: LinkPublishOptions, callback: PublishCallback): PublishHandle;
  /** SUBSCRIBE; resolves with the SUBACK's verdict. Resent by the link after a reconnect without session. */
  subscribe(filter: string, qos: QoS): Promise<SubscribeResult>;
  /**
   * MQTT 5 re-authentication on the open link (AUTH, reason code 0x19) [MQTT-4.12.1]. Throws
   * unless the link's CONNECT used enhanced authentication with the same method.
   */
  reauthenticate(method: string, data: Buffer): void;
  /** Resolves on the first link up; rejects at once on a refusal, or after `timeoutMs`. */
  waitUntilUp(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Picks the server for the next connection attempt (a server list: issue 13). */
export interface ServerChooser {
  next(attempt: number): { readonly host: string; readonly port: number };
}
