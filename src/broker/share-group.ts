import type { Client } from 'aedes';
import type { ShareTopic } from './share-topic.js';

/** What Aedes keeps per subscription in `client.subscriptions` (lib/handlers/subscribe.js `Subscription`). */
export interface AedesSubscription {
  /** The granted QoS. */
  readonly qos: number;
  /** MQTT 5 Retain As Published. */
  readonly rap?: boolean;
}

/** A PUBLISH as Aedes' delivery functions take it. */
export interface OutgoingPacket {
  cmd: 'publish';
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  dup: false;
  properties?: Record<string, unknown>;
  brokerId: string;
  brokerCounter: number;
  messageId?: number;
}

/** The parts of an Aedes client (lib/client.js) used here beyond its .d.ts. */
export interface MemberClient extends Client {
  readonly subscriptions: Record<string, AedesSubscription | undefined>;
  /** Writes a QoS≥1 PUBLISH; for a persistent session, the packet must be in its queue already. */
  deliverQoS(packet: OutgoingPacket, done: () => void): void;
  deliver0(packet: OutgoingPacket, done: () => void): void;
  /** The next packet id Aedes will give a PUBLISH to this client (lib/qos-packet.js). */
  _nextId: number;
}

/** A message as Aedes hands it to the emitter (an aedes-packet). */
export interface EmittedPacket {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: number;
  readonly retain: boolean;
  readonly properties?: Record<string, unknown>;
  readonly brokerId: string;
  readonly brokerCounter: number;
}

/** A share group's listener on the emitter. */
export type Listener = (packet: EmittedPacket, done: () => void) => void;

/** The connected members of a share group, taken in turn, and the persistent sessions in it. */
export class ShareGroup {
  readonly online: MemberClient[] = [];
  /** Client ids whose persistent session holds this subscription, connected or not. */
  readonly persistent = new Set<string>();
  draining = false;
  drainAgain = false;
  private turn = 0;

  constructor(
    readonly share: ShareTopic,
    /** Its listener on the emitter (Aedes' `mq`), under `share.filter`. */
    readonly listener: Listener,
  ) {}

  join(client: MemberClient): void {
    if (!this.online.includes(client)) this.online.push(client);
  }

  leave(client: MemberClient): void {
    const at = this.online.indexOf(client);
    if (at >= 0) this.online.splice(at, 1);
  }

  /** Round robin over the members still connected and still subscribed. */
  next(): { client: MemberClient; subscription: AedesSubscription } | undefined {
    while (this.online.length > 0) {
      const client = this.online[this.turn++ % this.online.length]!;
      const subscription = client.closed ? undefined : client.subscriptions[this.share.topic];
      if (subscription) return { client, subscription };
      this.leave(client);
    }
    return undefined;
  }

  get unused(): boolean {
    return this.online.length === 0 && this.persistent.size === 0;
  }
}
