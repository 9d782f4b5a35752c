import { deserialize, serialize } from 'node:v8';
import type { ClassicLevel } from 'classic-level';

/** An application message kept for a share group: what a member gets, plus its place in publish order. */
export interface SharedMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
  /** MQTT 5 properties as published (user properties, content type, ...), if any. */
  readonly properties?: Record<string, unknown>;
  /** The publishing broker's id and counter: the message's identity and publish order. */
  readonly brokerId: string;
  readonly brokerCounter: number;
}

/** A persistent session's membership of a share group. */
export interface StoredMember {
  /** `$share/<group>/<filter>`. */
  readonly shareTopic: string;
  readonly clientId: string;
}

/**
 * The shared subscriptions' own LevelDB tables, in two sublevels of the broker's database
 * (keys under `!shared-members!` and `!shared-queue!`, apart from aedes-persistence-level's).
 *
 * - members: which persistent sessions belong to which share group. Aedes stores the same
 *   subscriptions itself, but only per client; this table lets the broker know at start which
 *   groups have members that may come back, so it keeps their messages meanwhile.
 * - queue: per group, the QoS≥1 messages published while none of its members was connected,
 *   in publish order, until a member takes them.
 */
export interface SharedSubscriptionStore {
  members(): Promise<StoredMember[]>;
  addMembers(shareTopics: readonly string[], clientId: string): Promise<void>;
  removeMembers(shareTopics: readonly string[], clientId: string): Promise<void>;
  /** Stores the message in the group's queue; resolves with its key (the same for the same message). */
  enqueue(shareTopic: string, message: SharedMessage): Promise<string>;
  /** The group's queued messages, oldest first, as of when the iteration starts. */
  queued(shareTopic: string): AsyncIterable<{ key: string; message: SharedMessage }>;
  dequeue(key: string): Promise<void>;
  /** Drops every message queued for the group. */
  clearQueue(shareTopic: string): Promise<void>;
}

/** Every key of a group starts with `<encoded $share topic>:`; `;` is the next byte after `:`. */
function groupRange(shareTopic: string): { gte: string; lt: string } {
  const encoded = encodeURIComponent(shareTopic);
  return { gte: `${encoded}:`, lt: `${encoded};` };
}

function memberKey(shareTopic: string, clientId: string): string {
  return `${encodeURIComponent(shareTopic)}:${encodeURIComponent(clientId)}`;
}

/** Broker ids are time-sortable (createBrokerId) and counters padded: key order is publish order. */
function queueKey(shareTopic: string, message: SharedMessage): string {
  return `${encodeURIComponent(shareTopic)}:${message.brokerId}:${String(message.brokerCounter).padStart(16, '0')}`;
}

function decodeMessage(value: Buffer): SharedMessage {
  const message = deserialize(value) as SharedMessage;
  return { ...message, payload: Buffer.from(message.payload) };
}

export function createSharedSubscriptionStore(db: ClassicLevel<string, string>): SharedSubscriptionStore {
  const members = db.sublevel('shared-members');
  const queue = db.sublevel<string, Buffer>('shared-queue', { valueEncoding: 'buffer' });

  return {
    async members() {
      const found: StoredMember[] = [];
      for await (const key of members.keys()) {
        const [shareTopic = '', clientId = ''] = key.split(':').map(decodeURIComponent);
        found.push({ shareTopic, clientId });
      }
      return found;
    },
    async addMembers(shareTopics, clientId) {
      await members.batch(shareTopics.map((topic) => ({ type: 'put' as const, key: memberKey(topic, clientId), value: '' })));
    },
    async removeMembers(shareTopics, clientId) {
      await members.batch(shareTopics.map((topic) => ({ type: 'del' as const, key: memberKey(topic, clientId) })));
    },
    async enqueue(shareTopic, message) {
      const key = queueKey(shareTopic, message);
      await queue.put(key, serialize(message));
      return key;
    },
    async *queued(shareTopic) {
      for await (const [key, value] of queue.iterator(groupRange(shareTopic))) {
        yield { key, message: decodeMessage(value) };
      }
    },
    async dequeue(key) {
      await queue.del(key);
    },
    async clearQueue(shareTopic) {
      await queue.clear(groupRange(shareTopic));
    },
  };
}
