/**
 * The MqttLink over MQTT.js (pinned exactly in package.json). The ONLY file that touches
 * MQTT.js beyond its documented API; every such touch is listed in MQTTJS_INTERNALS and
 * checked by test/link/mqttjs-link-contract.test.ts against a scripted broker:
 *
 *  - `handleMessage` (documented as overridable): MQTT.js sends the PUBACK/PUBCOMP as soon as
 *    it calls back and reads nothing more until then. We keep reading (keepalive, read-ahead)
 *    and hold the ack until the application's `ack()`.
 *  - `_sendPacket`: wrapped to swallow MQTT.js's own PUBACK/PUBCOMP for messages we took, used
 *    to send ours and the client-initiated AUTH (MQTT.js has no call for either).
 *  - `_storeProcessing` / `_storeProcessingQueue`: MQTT.js sets `connected` before it has resent
 *    the stored messages, and queues a publish made meanwhile without a packet id. We hand it a
 *    publish only when neither is the case, so every QoS>0 publish gets its id synchronously.
 *  - `options.reconnectPeriod`, `options.host/hostname/port` and the credential options: read
 *    again by MQTT.js before each reconnect; rewritten just before it (backoff, server list,
 *    reloaded credential files).
 * Public options used to own state MQTT.js would otherwise keep: `messageIdProvider` (the
 * packet ids, so a publish knows its real id) and `outgoingStore` (a store whose replay skips
 * a message withdrawn while the replay runs; MQTT.js's own replays a snapshot).
 */
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import mqtt, { type IClientOptions, type IConnackPacket, type IPublishPacket, type MqttClient, type Packet } from 'mqtt';
import type { ConnectionConfig } from '../config/connection-config.js';
import { SAT_AUTHENTICATION } from '../config/credential-files.js';
import { ComponentError } from '../errors/component-error.js';
import type { Logger } from '../logging/logger.js';
import { applyCredentials, toClientOptions } from './client-options.js';
import { openCredentialFiles, type CredentialFiles } from './credential-files.js';
import { roundBackoffDelay, type BackoffOptions } from './reconnect-backoff.js';
import { isFailureReasonCode } from './reason-codes.js';
import { applyServer, rotatingServers } from './server-list.js';
import { watchSilentMqtt5Refusal } from './silent-refusal.js';
import type {
  InboundHandler,
  InboundMessage,
  InboundProperties,
  LinkCapabilities,
  LinkPublishOptions,
  LinkUp,
  MqttLink,
  PublishCallback,
  PublishHandle,
  QoS,
  ServerChooser,
  SubscribeResult,
} from './mqtt-link.js';

/** Every MQTT.js member this adapter relies on beyond the typed public API (checked by the contract suite). */
export const MQTTJS_INTERNALS = ['_sendPacket', 'handleMessage', '_storeProcessing', '_storeProcessingQueue', 'outgoing', 'options.reconnectPeriod'] as const;

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 15_000 };
/** Receive Maximum when the CONNACK does not name one [MQTT-3.2.2.3.3]. */
const DEFAULT_RECEIVE_MAXIMUM = 65_535;
/** MQTT 5 AUTH reason code: the client starts a re-authentication [MQTT-4.12.1]. */
const REAUTHENTICATE = 0x19;
const MAX_PACKET_ID = 65_535;
/** MQTT.js's own tracing (the `debug` package) is not called at all. */
const noTrace = (): void => {};

type SendPacket = (packet: Packet, cb?: (err?: Error) => void, cbStorePut?: () => void, noStore?: boolean) => void;
interface Internals {
  _sendPacket: SendPacket;
  _storeProcessing: boolean;
  _storeProcessingQueue: unknown[];
  stream: NodeJS.WritableStream & { setNoDelay?: (on: boolean) => unknown };
}

export interface MqttLinkOptions {
  readonly connection: ConnectionConfig;
  readonly clientId: string;
  /** Clean Session (3.1.1) / Clean Start (5). */
  readonly clean: boolean;
  /** MQTT 5: how long the broker keeps the session after a disconnect (default: 0 when clean, else never expires). */
  readonly sessionExpirySec?: number;
  readonly logger: Logger;
  readonly backoff?: BackoffOptions;
  /** Picks host and port before each reconnect (server list). */
  readonly servers?: ServerChooser;
}

/**
 * Packet ids owned by us: a publish learns its id the moment MQTT.js allocates it (`claim`),
 * and an id stays taken while its publish lives, across reconnects (MQTT.js clears the provider
 * on every CONNACK and registers the ids it replays).
 */
class OwnedPacketIds {
  private readonly publishIds = new Set<number>();
  private readonly otherIds = new Set<number>();
  private next = 1;
  private last: number | null = null;
  claim: ((id: number) => void) | undefined;

  allocate(): number | null {
    if (this.publishIds.size + this.otherIds.size >= MAX_PACKET_ID) return null;
    let id = this.next;
    while (this.publishIds.has(id) || this.otherIds.has(id)) id = (id % MAX_PACKET_ID) + 1;
    this.next = (id % MAX_PACKET_ID) + 1;
    this.last = id;
    const claim = this.claim;
    this.claim = undefined;
    if (claim) {
      this.publishIds.add(id);
      claim(id);
    } else this.otherIds.add(id);
    return id;
  }

  getLastAllocated(): number | null {
    return this.last;
  }

  /** A stored packet being resent: ours when a live publish holds the id. */
  register(id: number): boolean {
    if (this.publishIds.has(id)) return true;
    if (this.otherIds.has(id)) return false;
    this.otherIds.add(id);
    return true;
  }

  deallocate(id: number): void {
    this.otherIds.delete(id);
  }

  release(id: number): void {
    this.publishIds.delete(id);
  }

  /** New link: SUBSCRIBEs in flight are gone; publishes are resent with their ids. */
  clear(): void {
    this.otherIds.clear();
  }
}

/**
 * MQTT.js's outgoing store with one difference: its replay stream reads the store as it is at
 * each step, so a message deleted (withdrawn) after the replay began is not sent.
 */
class LiveStore {
  private readonly packets = new Map<number, Packet>();

  put(packet: Packet, cb: (err?: Error) => void): this {
    this.packets.set(packet.messageId as number, packet);
    cb();
    return this;
  }

  /**
   * The replay "stream" MQTT.js reads with `read(1)` until 'end': a Readable would read ahead
   * into its buffer (even with highWaterMark 0), so a packet withdrawn after that would still be
   * sent. This one looks the packet up at each `read`.
   */
  createStream(): Readable {
    const { packets } = this;
    const ids = [...packets.keys()];
    let i = 0;
    let ended = false;
    const stream = new EventEmitter() as EventEmitter & { read(): Packet | null; destroy(): void };
    stream.read = () => {
      while (i < ids.length) {
        const packet = packets.get(ids[i++] as number);
        if (packet !== undefined) return packet;
      }
      if (!ended) {
        ended = true;
        process.nextTick(() => stream.emit('end'));
      }
      return null;
    };
    stream.destroy = () => {
      i = ids.length;
      ended = true;
      process.nextTick(() => stream.emit('close'));
    };
    return stream as unknown as Readable;
  }

  del(packet: { messageId?: number }, cb: (err?: Error, packet?: Packet) => void): this {
    const found = this.packets.get(packet.messageId as number);
    if (found === undefined) cb(new Error('missing packet'));
    else {
      this.packets.delete(packet.messageId as number);
      cb(undefined, found);
    }
    return this;
  }

  get(packet: { messageId?: number }, cb: (err?: Error, packet?: Packet) => void): this {
    const found = this.packets.get(packet.messageId as number);
    if (found === undefined) cb(new Error('missing packet'));
    else cb(undefined, found);
    return this;
  }

  close(cb: () => void): void {
    cb();
  }
}

/** Errors that retrying will not fix: the broker said no, or its certificate is not trusted. */
function isRejection(err: Error & { code?: unknown }): boolean {
  const code = err.code;
  // CONNACK: bad credentials / not authorized / (MQTT 5) authentication method not supported
  if (code === 4 || code === 5 || code === 134 || code === 135 || code === 140) return true;
  return typeof code === 'string' && (code.startsWith('ERR_TLS_') || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code));
}

/** The broker's verdict in a SUBACK as MQTT.js reports it (an error carrying the code, or the packet). */
export function subackRefusal(err: (Error & { code?: unknown; packet?: unknown }) | null | undefined, packet: unknown): number | undefined {
  if (err && isFailureReasonCode(err.code)) return err.code;
  const suback = (packet ?? err?.packet) as { granted?: Array<number | { qos?: number }> } | undefined;
  return suback?.granted?.map((g) => (typeof g === 'number' ? g : g.qos)).find(isFailureReasonCode);
}

function capabilitiesOf(connack: IConnackPacket, protocolVersion: 4 | 5): LinkCapabilities {
  const p = connack.properties;
  return {
    protocolVersion,
    receiveMaximum: p?.receiveMaximum ?? DEFAULT_RECEIVE_MAXIMUM,
    maximumPacketSize: p?.maximumPacketSize,
    sharedSubscriptionAvailable: p?.sharedSubscriptionAvailable !== false,
    retainAvailable: p?.retainAvailable !== false,
    maximumQoS: (p?.maximumQoS ?? 2) as QoS,
  };
}

class Outbound implements PublishHandle {
  messageId: number | undefined;
  sent = false;
  done = false;
  constructor(
    private readonly link: MqttJsLink,
    readonly topic: string,
    readonly payload: Buffer,
    readonly options: LinkPublishOptions,
    readonly callback: PublishCallback,
  ) {}

  cancel(): boolean {
    if (this.done) return false;
    this.done = true;
    this.link.withdraw(this);
    return true;
  }
}

class Inbound implements InboundMessage {
  constructor(
    private readonly link: MqttJsLink,
    private readonly packet: IPublishPacket,
    readonly generation: number,
  ) {}
  get topic(): string {
    return this.packet.topic;
  }
  get payload(): Buffer {
    return this.packet.payload as Buffer;
  }
  get qos(): QoS {
    return this.packet.qos;
  }
  get retain(): boolean {
    return this.packet.retain;
  }
  get dup(): boolean {
    return this.packet.dup;
  }
  get messageId(): number | undefined {
    return this.packet.messageId;
  }
  get properties(): InboundProperties | undefined {
    return this.packet.properties as InboundProperties | undefined;
  }
  ack(): boolean {
    if (this.packet.qos === 0 || this.packet.messageId === undefined) return true;
    return this.link.sendAck(this.packet.messageId, this.packet.qos, this.generation);
  }
}

class MqttJsLink implements MqttLink {
  readonly client: MqttClient;
  private readonly internals: Internals;
  private readonly send: SendPacket;
  private readonly ids = new OwnedPacketIds();
  private readonly outgoingStore = new LiveStore();
  private readonly upListeners: Array<(up: LinkUp) => void> = [];
  private readonly downListeners: Array<() => void> = [];
  private inbound: InboundHandler | undefined;
  /** messageId → how many acks MQTT.js will still generate for messages we took (an id may repeat across links). */
  private readonly heldAcks = new Map<number, number>();
  private readonly waiting: Outbound[] = [];
  private generation = 0;
  private sessionPresent = false;
  private attempt = 0;
  private closing: Promise<void> | undefined;
  private readonly files: CredentialFiles | undefined;
  capabilities: LinkCapabilities | undefined;
  lastError: Error | undefined;
  ready = false;

  constructor(private readonly o: MqttLinkOptions) {
    const conn = o.connection;
    this.files = openCredentialFiles(conn, o.logger);
    const options: IClientOptions = {
      ...toClientOptions(conn, o.clientId, o.clean, o.sessionExpirySec, this.files?.refresh()),
      messageIdProvider: this.ids,
      outgoingStore: this.outgoingStore as unknown as IClientOptions['outgoingStore'],
      reconnectPeriod: roundBackoffDelay(0, conn.servers.length, o.backoff ?? DEFAULT_BACKOFF),
      // MQTT.js's debug tracing costs a call per packet step even when off (profiles: 3-4 % CPU).
      log: noTrace,
    };
    this.client = mqtt.connect(options);
    this.internals = this.client as unknown as Internals;
    this.send = this.internals._sendPacket.bind(this.client);
    this.internals._sendPacket = (packet, cb, cbStorePut, noStore) => {
      if (packet.cmd === 'puback' || packet.cmd === 'pubcomp') {
        const id = packet.messageId as number;
        const n = this.heldAcks.get(id);
        if (n !== undefined) {
          if (n <= 1) this.heldAcks.delete(id);
          else this.heldAcks.set(id, n - 1);
          cb?.();
          return;
        }
      }
      this.send(packet, cb, cbStorePut, noStore);
    };
    this.client.handleMessage = (packet, callback) => {
      if (packet.qos > 0 && packet.messageId !== undefined) this.heldAcks.set(packet.messageId, (this.heldAcks.get(packet.messageId) ?? 0) + 1);
      const handler = this.inbound;
      if (handler === undefined) {
        // Nobody takes messages on this link: acknowledge at once, as MQTT.js would.
        if (packet.qos > 0 && packet.messageId !== undefined) this.sendAck(packet.messageId, packet.qos as 1 | 2, this.generation);
        callback();
        return;
      }
      handler(new Inbound(this, packet, this.generation), () => callback());
    };
    this.client.on('packetreceive', (packet) => {
      if (packet.cmd !== 'connack') return;
      const connack = packet as IConnackPacket;
      if ((connack.reasonCode ?? connack.returnCode ?? 0) !== 0) return;
      // A new link: acks of messages from the previous one are no longer valid.
      this.generation += 1;
      this.sessionPresent = connack.sessionPresent;
      this.capabilities = capabilitiesOf(connack, conn.protocolVersion === 5 ? 5 : 4);
      // No Nagle: small request/ack packets must not wait for the broker's delayed ACK.
      this.internals.stream?.setNoDelay?.(true);
    });
    // Emitted by MQTT.js only once the stored messages were resent on the new link.
    this.client.on('connect', () => {
      this.attempt = 0;
      this.lastError = undefined;
      this.ready = true;
      o.logger.debug({ clientId: o.clientId, sessionPresent: this.sessionPresent }, 'mqtt connected');
      const up: LinkUp = { generation: this.generation, reconnect: this.generation > 1, sessionPresent: this.sessionPresent, capabilities: this.capabilities as LinkCapabilities };
      this.flushWaiting();
      for (const l of this.upListeners) l(up);
    });
    // Prepended: MQTT.js reads reconnectPeriod in its own 'close' listener.
    this.client.prependListener('close', () => {
      this.client.options.reconnectPeriod = roundBackoffDelay(this.attempt++, conn.servers.length, o.backoff ?? DEFAULT_BACKOFF);
      if (!this.ready) return;
      this.ready = false;
      for (const l of this.downListeners) l();
    });
    // Several brokers in `url` (a cluster): every new attempt goes to the next one (server-list.ts).
    const servers = o.servers ?? rotatingServers(conn.servers);
    this.client.on('reconnect', () => {
      const server = servers?.next(this.attempt);
      if (server) applyServer(this.client.options, server);
      // Token and certificate files are read again before every connection.
      if (this.files) applyCredentials(this.client.options, conn, this.files.refresh());
    });
    this.client.on('error', (err) => {
      this.lastError = err;
      o.logger.warn({ clientId: o.clientId, broker: conn.displayAddress, error: err.message }, 'mqtt link error');
    });
    this.client.on('offline', () => o.logger.info({ clientId: o.clientId, broker: conn.displayAddress }, 'mqtt link down, reconnecting'));
    if (this.files && conn.protocolVersion === 5 && conn.credentialFiles?.satTokenPath !== undefined) {
      this.files.onTokenChange((token) => {
        if (!this.client.connected) return; // the reconnect reads the file anyway
        o.logger.info({ clientId: o.clientId }, 're-authenticating with the new service-account token');
        this.reauthenticate(SAT_AUTHENTICATION, Buffer.from(token, 'utf8'));
      });
    }
  }

  get clientId(): string {
    return this.o.clientId;
  }

  onUp(listener: (up: LinkUp) => void): void {
    this.upListeners.push(listener);
  }

  onDown(listener: () => void): void {
    this.downListeners.push(listener);
  }

  onMessage(handler: InboundHandler): void {
    this.inbound = handler;
  }

  publish(topic: string, payload: Buffer, options: LinkPublishOptions, callback: PublishCallback): PublishHandle {
    const out = new Outbound(this, topic, payload, options, callback);
    if (this.waiting.length === 0 && this.canHandOver()) this.handOver(out);
    else this.waiting.push(out);
    return out;
  }

  /** MQTT.js will send a publish now, with an id allocated now (not after its store replay). */
  private canHandOver(): boolean {
    return this.ready && this.client.connected && !this.internals._storeProcessing && this.internals._storeProcessingQueue.length === 0;
  }

  private flushWaiting(): void {
    while (this.waiting.length > 0 && this.canHandOver()) this.handOver(this.waiting.shift() as Outbound);
  }

  private handOver(out: Outbound): void {
    if (out.done) return;
    const { qos } = out.options;
    if (qos > 0) this.ids.claim = (id) => (out.messageId = id);
    out.sent = true;
    // MQTT.js copies the options it is given.
    this.client.publish(out.topic, out.payload, out.options, (err, packet) => {
      if (out.messageId !== undefined) this.ids.release(out.messageId);
      if (out.done) return;
      out.done = true;
      if (!err) {
        out.callback(undefined);
        return;
      }
      const code = (err as { code?: unknown }).code;
      const reasonString = (packet as { properties?: { reasonString?: string } } | undefined)?.properties?.reasonString;
      out.callback(isFailureReasonCode(code) ? { error: err, reasonCode: code, ...(reasonString === undefined ? {} : { reasonString }) } : { error: err });
    });
    this.ids.claim = undefined;
    if (qos > 0 && out.messageId === undefined && !out.done) {
      // Cannot happen while canHandOver() holds; loud if an MQTT.js upgrade changes that.
      throw new Error('MQTT.js did not allocate a packet id synchronously: the mqttjs-link contract no longer holds');
    }
  }

  withdraw(out: Outbound): void {
    const i = this.waiting.indexOf(out);
    if (i >= 0) {
      this.waiting.splice(i, 1);
      return;
    }
    if (out.messageId !== undefined) {
      // Removes it from MQTT.js's in-flight table and from the store, so no later link resends it.
      this.client.removeOutgoingMessage(out.messageId);
      this.ids.release(out.messageId);
    }
  }

  /**
   * Sends the PUBACK/PUBCOMP of a message received on link `generation` at once; false when that
   * link is gone. Not grouped per turn: each subscription has its own link and its acks come one
   * at a time, so waiting for the end of the turn only delayed them.
   */
  sendAck(messageId: number, qos: 1 | 2, generation: number): boolean {
    // An ack for a message of a link that went down is not sent on its successor (the id may be reused).
    if (generation !== this.generation || !this.client.connected) return false;
    this.send({ cmd: qos === 2 ? 'pubcomp' : 'puback', messageId } as Packet);
    return true;
  }

  subscribe(filter: string, qos: QoS): Promise<SubscribeResult> {
    return new Promise((resolve, reject) => {
      this.client.subscribe(filter, { qos }, (err, granted, suback) => {
        const refused = subackRefusal(err as (Error & { code?: unknown; packet?: unknown }) | null, suback);
        if (refused !== undefined) resolve({ refused, reasonString: (suback as { properties?: { reasonString?: string } } | undefined)?.properties?.reasonString });
        else if (err) reject(err);
        else resolve({ refused: undefined, reasonString: undefined, granted: Math.min(2, granted?.[0]?.qos ?? qos) as QoS });
      });
    });
  }

  reauthenticate(method: string, data: Buffer): void {
    // MQTT.js drops the link on the broker's AUTH answer unless the CONNECT named this method.
    const connected = this.client.options.properties?.authenticationMethod;
    if (connected !== method) {
      throw new Error(`re-authentication with method ${method} on a link whose CONNECT used ${connected === undefined ? 'no enhanced authentication' : `method ${connected}`}`);
    }
    this.send({ cmd: 'auth', reasonCode: REAUTHENTICATE, properties: { authenticationMethod: method, authenticationData: data } } as Packet);
  }

  waitUntilUp(timeoutMs: number): Promise<void> {
    if (this.ready) return Promise.resolve();
    const conn = this.o.connection;
    return new Promise((resolve, reject) => {
      const done = (err?: ComponentError): void => {
        clearTimeout(timer);
        this.client.off('connect', onConnect);
        this.client.off('error', onError);
        stopWatching();
        if (err) reject(err);
        else resolve();
      };
      const onConnect = (): void => done();
      const onError = (err: Error & { code?: unknown }): void => {
        // CONNACK 0x01 (3.1.1) / 0x84 (5): the protocol level was refused, e.g. MQTT 5 by Aedes.
        if (conn.protocolVersion === 5 && (err.code === 1 || err.code === 0x84)) {
          done(
            new ComponentError(
              'ERR_BROKER_PROTOCOL_UNSUPPORTED',
              `the broker does not support MQTT 5: ${conn.displayAddress} refused protocolVersion 5 (${err.message}); set protocolVersion to 4 (the bundled broker speaks MQTT 3.1.1 only)`,
              { field: 'protocolVersion', cause: err },
            ),
          );
        } else if (isRejection(err)) {
          done(new ComponentError('ERR_BROKER_REJECTED', `broker ${conn.displayAddress} rejected the connection: ${err.message}`, { field: 'url', cause: err }));
        }
      };
      const timer = setTimeout(() => {
        const cause = this.lastError;
        done(
          new ComponentError('ERR_BROKER_UNREACHABLE', `could not connect to broker ${conn.displayAddress} within ${timeoutMs} ms${cause ? `: ${cause.message}` : ''}`, {
            field: 'url',
            cause,
          }),
        );
      }, timeoutMs);
      this.client.on('connect', onConnect);
      this.client.on('error', onError);
      // An MQTT 5 CONNECT closed without a CONNACK, again and again: the broker has no MQTT 5.
      const stopWatching = watchSilentMqtt5Refusal(this.client, conn, (err) => done(err));
    });
  }

  close(): Promise<void> {
    this.files?.close();
    this.ready = false;
    // Publishes still waiting for a link never get one: they fail now (never sent).
    for (const out of this.waiting.splice(0)) {
      if (out.done) continue;
      out.done = true;
      out.callback({ error: new Error('the link was closed before the publish could be sent') });
    }
    this.closing ??= new Promise<void>((resolve) => this.client.end(true, {}, () => resolve()));
    return this.closing;
  }
}

/** Opens one link; it connects and reconnects (bounded backoff with jitter) by itself. */
export function openMqttLink(options: MqttLinkOptions): MqttLink {
  return new MqttJsLink(options);
}
