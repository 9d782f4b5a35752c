/**
 * A plain MQTT.js client standing in for "other devices/apps" on the broker: it publishes what
 * the component should receive and subscribes to what the component publishes, recording the
 * packet flags (qos, retain, dup) the broker delivered.
 */
import { randomBytes } from 'node:crypto';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';

export type QoS = 0 | 1 | 2;
import { waitUntil, type WaitOptions } from './wait.js';

export interface PeerMessage {
  topic: string;
  payload: Buffer;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  receivedAt: number;
}

export interface PeerSubscription {
  readonly filter: string;
  /** Messages matching this filter, in arrival order. */
  readonly messages: readonly PeerMessage[];
  waitFor(n: number, options?: WaitOptions): Promise<void>;
}

export interface MqttPeer {
  readonly client: MqttClient;
  readonly clientId: string;
  /** Every message received, in arrival order. */
  readonly messages: readonly PeerMessage[];
  /** Subscribes (resolves on SUBACK) and collects the messages that match `filter`. */
  subscribe(filter: string, qos?: QoS): Promise<PeerSubscription>;
  publish(topic: string, payload: Buffer | string, options?: { qos?: QoS; retain?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** MQTT topic-filter match (`+` one level, `#` the rest; `$share/<group>/` stripped). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.startsWith('$share/') ? filter.split('/').slice(2) : filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

export function uniqueClientId(label = 'peer'): string {
  return `${label}-${randomBytes(6).toString('hex')}`;
}

/** Connects a clean-session MQTT 3.1.1 client (unless options say otherwise). */
export async function connectPeer(url: string, options: IClientOptions = {}): Promise<MqttPeer> {
  const clientId = options.clientId ?? uniqueClientId();
  const client = await connectAsync(url, {
    clientId,
    clean: true,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    ...options,
  });
  const messages: PeerMessage[] = [];
  client.on('message', (topic, payload, packet) => {
    messages.push({
      topic,
      payload: Buffer.from(payload),
      qos: packet.qos,
      retain: packet.retain,
      dup: packet.dup,
      receivedAt: Date.now(),
    });
  });
  // An 'error' with no listener would crash the test process; surface it on the next wait instead.
  let lastError: Error | undefined;
  client.on('error', (err) => {
    lastError = err;
  });

  return {
    client,
    clientId,
    messages,
    async subscribe(filter, qos = 2) {
      await client.subscribeAsync(filter, { qos });
      const matching = () => messages.filter((m) => topicMatches(filter, m.topic));
      return {
        filter,
        get messages() {
          return matching();
        },
        async waitFor(n, waitOptions) {
          await waitUntil(
            () => matching().length >= n,
            () => `${n} messages on "${filter}" at peer ${clientId}, got ${matching().length}${lastError ? ` (client error: ${lastError.message})` : ''}`,
            waitOptions,
          );
        },
      };
    },
    async publish(topic, payload, publishOptions = {}) {
      await client.publishAsync(topic, Buffer.from(payload), { qos: publishOptions.qos ?? 1, retain: publishOptions.retain ?? false });
    },
    async close() {
      await client.endAsync();
    },
  };
}

/** Removes retained messages left on `topics` (publishes an empty retained payload to each). */
export async function clearRetained(url: string, topics: Iterable<string>): Promise<void> {
  const list = [...topics];
  if (list.length === 0) return;
  const peer = await connectPeer(url);
  try {
    for (const topic of list) await peer.publish(topic, Buffer.alloc(0), { qos: 1, retain: true });
  } finally {
    await peer.close();
  }
}
