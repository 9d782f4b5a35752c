/**
 * Example app `order-subscriber`: subscribes to topic `orders` on the pub/sub Component `pubsub`
 * and keeps one record per order in the state store Component `statestore` (both served by the
 * mqtt-pluggable component), updating it with ETag checks:
 *
 *   - a new order is written with first-write concurrency and no ETag: it fails if the key exists;
 *   - a redelivered order is read with its ETag and written back with that ETag, so a concurrent
 *     writer makes the save fail (409) instead of being overwritten; the message is then nacked
 *     (RETRY) and comes back, and the next attempt reads the newer version;
 *   - an invalid order is nacked once (RETRY): the component redelivers it after its backoff
 *     (redeliveryInitialDelay), on the same subscription; the second time it is dropped (DROP).
 *
 * Environment: APP_PORT (default 3000, daprd's --app-port), APP_HOST (default 127.0.0.1),
 * DAPR_HOST (default 127.0.0.1), DAPR_HTTP_PORT (default 3500).
 */
import {
  CommunicationProtocolEnum,
  DaprPubSubStatusEnum,
  DaprServer,
  StateConcurrencyEnum,
  StateConsistencyEnum,
} from '@dapr/dapr';
import { ORDERS_TOPIC, PUBSUB_NAME, STATE_STORE_NAME, SUBSCRIBER_APP_PORT, parseOrder, type Order } from '../shared/orders.js';

/** What the state store keeps per order. */
interface OrderRecord {
  readonly order: Order;
  /** How many times this order reached the app: more than 1 after a redelivery. */
  readonly deliveries: number;
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
}

/** One entry of Dapr's bulk get response (HTTP API): `data` is absent when the key does not exist. */
interface BulkStateItem {
  key: string;
  data?: unknown;
  etag?: string;
}

const server = new DaprServer({
  serverHost: process.env.APP_HOST ?? '127.0.0.1',
  serverPort: process.env.APP_PORT ?? String(SUBSCRIBER_APP_PORT),
  communicationProtocol: CommunicationProtocolEnum.HTTP,
  clientOptions: {
    daprHost: process.env.DAPR_HOST ?? '127.0.0.1',
    daprPort: process.env.DAPR_HTTP_PORT ?? '3500',
    communicationProtocol: CommunicationProtocolEnum.HTTP,
  },
});
const state = server.client.state;

/** Invalid orders already nacked once (in memory: after a restart one may be nacked again). */
const nackedOnce = new Set<string>();

async function handle(data: unknown): Promise<DaprPubSubStatusEnum> {
  const parsed = parseOrder(data);
  if (!parsed.ok) {
    const id = parsed.id ?? JSON.stringify(data);
    if (!nackedOnce.has(id)) {
      nackedOnce.add(id);
      console.warn(`order-subscriber: bad order ${id} (${parsed.reason}): RETRY, expect a redelivery`);
      return DaprPubSubStatusEnum.RETRY;
    }
    nackedOnce.delete(id);
    console.warn(`order-subscriber: bad order ${id} redelivered as expected: DROP`);
    return DaprPubSubStatusEnum.DROP;
  }
  return record(parsed.order);
}

async function record(order: Order): Promise<DaprPubSubStatusEnum> {
  const key = `order-${order.id}`;
  // getBulk (not get) because it returns the ETag along with the value.
  const [current] = (await state.getBulk(STATE_STORE_NAME, [key])) as BulkStateItem[];
  const previous = current?.data as OrderRecord | undefined;
  const now = new Date().toISOString();
  const next: OrderRecord = {
    order,
    deliveries: (previous?.deliveries ?? 0) + 1,
    firstSeenAt: previous?.firstSeenAt ?? now,
    lastSeenAt: now,
  };
  const { error } = await state.save(STATE_STORE_NAME, [
    {
      key,
      value: next,
      // No ETag on the first write: with first-write concurrency it succeeds only if the key is new.
      ...(previous !== undefined && current?.etag ? { etag: current.etag } : {}),
      options: {
        concurrency: StateConcurrencyEnum.CONCURRENCY_FIRST_WRITE,
        consistency: StateConsistencyEnum.CONSISTENCY_STRONG,
      },
    },
  ]);
  if (error) {
    // 409: the ETag no longer matches (someone wrote in between). Anything else: the store is
    // unavailable. Either way the message goes back and is tried again.
    console.warn(`order-subscriber: order ${order.id} not saved (${error.message}): RETRY`);
    return DaprPubSubStatusEnum.RETRY;
  }
  console.log(`order-subscriber: order ${order.id} saved (delivery ${next.deliveries}, etag was ${current?.etag ?? 'none'})`);
  return DaprPubSubStatusEnum.SUCCESS;
}

async function main(): Promise<void> {
  // The SDK treats a handler that throws as SUCCESS (the message would be lost), so errors are
  // turned into RETRY here.
  await server.pubsub.subscribe(PUBSUB_NAME, ORDERS_TOPIC, async (data: unknown) => {
    try {
      return await handle(data);
    } catch (err) {
      console.error('order-subscriber: handler failed: RETRY', err);
      return DaprPubSubStatusEnum.RETRY;
    }
  });
  // Subscriptions are registered before start(): daprd reads them from GET /dapr/subscribe.
  await server.start();
  console.log(`order-subscriber: subscribed to ${PUBSUB_NAME}/${ORDERS_TOPIC}, state in ${STATE_STORE_NAME}`);
}

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  server.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

main().catch((err: unknown) => {
  console.error('order-subscriber: failed:', err);
  process.exit(1);
});
