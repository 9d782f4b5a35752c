/** Small building blocks shared by the pub/sub test files. */
import assert from 'node:assert/strict';
import type { Delivery, PubSubConnection, Subscription } from './daprd-harness.js';
import type { Fixture } from './component-fixture.js';
import { connectPeer } from './mqtt-peer.js';
import { waitUntil } from './wait.js';
import { PUBSUB_FIELDS } from '../../src/config/metadata-fields.js';

/** The declared default of `deliveryReadAhead`: how many messages a stream may hold unacked. */
export const DEFAULT_READ_AHEAD = Number(PUBSUB_FIELDS.find((f) => f.name === 'deliveryReadAhead')?.default);

export const text = (d: { data?: Buffer; payload?: Buffer }): string => (d.data ?? d.payload ?? Buffer.alloc(0)).toString('utf8');

/** `label-0 … label-(n-1)`. */
export function numbered(label: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${label}-${i}`);
}

export function counts(values: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

/** Publishes `payloads` to `topic` with at most `concurrency` Publish calls in flight. */
export async function publishAll(
  conn: PubSubConnection,
  topic: string,
  payloads: readonly string[],
  concurrency = 1,
  metadata: Record<string, string> = {},
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < payloads.length) {
      const p = payloads[next++]!;
      await conn.publish(topic, p, metadata);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

/** Asserts the component never ended the stream on its own (daprd would never reopen it). */
export function assertStreamAlive(sub: Subscription): void {
  assert.equal(
    sub.serverEnd,
    undefined,
    `the component ended the stream on "${sub.topic}": ${sub.serverEnd?.error?.message ?? 'status OK'}`,
  );
}

/** Asserts every payload in `expected` was acked exactly once and nothing else was acked. */
export function assertAckedExactlyOnce(sub: Subscription, expected: readonly string[]): void {
  const acked = counts(sub.acked.map(text));
  const missing = expected.filter((p) => !acked.has(p));
  const dupes = [...acked].filter(([, n]) => n > 1).map(([p, n]) => `${p}×${n}`);
  const unexpected = [...acked.keys()].filter((p) => !expected.includes(p));
  assert.deepEqual(
    { missing, dupes, unexpected },
    { missing: [], dupes: [], unexpected: [] },
    `acked messages on "${sub.topic}" differ from what was published`,
  );
}

/** Sorted payloads of deliveries. */
export function payloadsOf(deliveries: readonly Delivery[]): string[] {
  return deliveries.map(text).sort();
}

/**
 * True when the broker routes `$share/<group>/<filter>` subscriptions (checked with plain MQTT
 * clients, independent of the component).
 */
export async function brokerSupportsSharedSubscriptions(fx: Fixture): Promise<boolean> {
  const topic = fx.topic(`share-check-${fx.uid('t')}`);
  const sub = await connectPeer(fx.brokerUrl);
  const pub = await connectPeer(fx.brokerUrl);
  try {
    const s = await sub.subscribe(`$share/${fx.uid('g')}/${topic}`, 1);
    await pub.publish(topic, 'share-check', { qos: 1 });
    await waitUntil(() => s.messages.length > 0, () => 'shared delivery', { timeoutMs: 1_500 });
    return true;
  } catch {
    return false;
  } finally {
    await sub.close();
    await pub.close();
  }
}
