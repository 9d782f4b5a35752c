/**
 * Example app `order-publisher`: publishes one order per second to topic `orders` on the pub/sub
 * Component `pubsub` (type pubsub.mqtt-pluggable), through its Dapr sidecar's HTTP API.
 * Every tenth order is invalid on purpose (quantity 0): `order-subscriber` nacks it once to show
 * the component redelivering it.
 *
 * Environment: DAPR_HOST (default 127.0.0.1), DAPR_HTTP_PORT (default 3500; `dapr run` and the
 * Kubernetes sidecar injector set it), PUBLISH_INTERVAL_MS (default 1000).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CommunicationProtocolEnum, DaprClient } from '@dapr/dapr';
import { ORDERS_TOPIC, PUBSUB_NAME, type Order } from '../shared/orders.js';

const BAD_ORDER_EVERY = 10;
const ITEMS = ['keyboard', 'mouse', 'monitor', 'cable', 'headset'] as const;

const intervalMs = Number(process.env.PUBLISH_INTERVAL_MS ?? '1000');
if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
  process.stderr.write(`PUBLISH_INTERVAL_MS must be a positive number, got "${process.env.PUBLISH_INTERVAL_MS}"\n`);
  process.exit(2);
}

const client = new DaprClient({
  daprHost: process.env.DAPR_HOST ?? '127.0.0.1',
  daprPort: process.env.DAPR_HTTP_PORT ?? '3500',
  communicationProtocol: CommunicationProtocolEnum.HTTP,
});

// Order ids stay unique across restarts of this app: a run prefix plus a sequence number.
const run = Date.now().toString(36);

function makeOrder(n: number): Order {
  return {
    id: `${run}-${n}`,
    item: ITEMS[n % ITEMS.length] ?? 'keyboard',
    quantity: n % BAD_ORDER_EVERY === 0 ? 0 : 1 + (n % 3),
    createdAt: new Date().toISOString(),
  };
}

// A signal ends the loop after the current publish; before the loop starts (still waiting for
// the sidecar) there is nothing to finish.
const stop = new AbortController();
let publishing = false;
const onSignal = (): void => {
  stop.abort();
  if (!publishing) process.exit(0);
};
process.once('SIGTERM', onSignal);
process.once('SIGINT', onSignal);

async function main(): Promise<void> {
  // Resolves once the sidecar answers its health endpoint (the SDK retries for up to a minute).
  await client.start();
  publishing = true;
  console.log(`order-publisher: publishing to ${PUBSUB_NAME}/${ORDERS_TOPIC} every ${intervalMs} ms`);
  for (let n = 1; !stop.signal.aborted; n++) {
    const order = makeOrder(n);
    // The SDK reports a failed publish in `error` rather than throwing. The component fails a
    // publish only after its publishTimeout (broker unreachable): log it and carry on.
    const { error } = await client.pubsub.publish(PUBSUB_NAME, ORDERS_TOPIC, order);
    if (error) console.error(`order-publisher: order ${order.id} not published: ${error.message}`);
    else console.log(`order-publisher: published order ${order.id} (${order.quantity} x ${order.item})`);
    await sleep(intervalMs, undefined, { signal: stop.signal }).catch(() => undefined);
  }
  await client.stop();
  console.log('order-publisher: stopped');
}

main().catch((err: unknown) => {
  console.error('order-publisher: failed:', err);
  process.exit(1);
});
