/**
 * What the two example apps share: the Dapr names they use (the Component YAMLs in components/,
 * deploy/compose/components/ and deploy/kubernetes/ must match them; test/docs checks that) and
 * the order message with its validation.
 */

/** `metadata.name` of the pub/sub Component (type pubsub.mqtt-pluggable). */
export const PUBSUB_NAME = 'pubsub';
/** `metadata.name` of the state store Component (type state.mqtt-pluggable). */
export const STATE_STORE_NAME = 'statestore';
/** The topic orders are published to. */
export const ORDERS_TOPIC = 'orders';
/** Dapr app ids, as given to daprd (`--app-id`, `dapr.io/app-id`) and named in Component `scopes`. */
export const PUBLISHER_APP_ID = 'order-publisher';
export const SUBSCRIBER_APP_ID = 'order-subscriber';
/** Port the subscriber listens on for daprd (`--app-port`, `dapr.io/app-port`); APP_PORT overrides it. */
export const SUBSCRIBER_APP_PORT = 3000;

export interface Order {
  readonly id: string;
  readonly item: string;
  /** A positive integer; the publisher sends a bad one (0) now and then on purpose. */
  readonly quantity: number;
  readonly createdAt: string;
}

export type ParsedOrder =
  | { readonly ok: true; readonly order: Order }
  | { readonly ok: false; readonly id: string | undefined; readonly reason: string };

/** Untrusted message data in, an Order or the reason it is not one out. */
export function parseOrder(data: unknown): ParsedOrder {
  if (typeof data !== 'object' || data === null) return { ok: false, id: undefined, reason: 'not a JSON object' };
  const o = data as Record<string, unknown>;
  const id = typeof o.id === 'string' && o.id !== '' ? o.id : undefined;
  if (id === undefined) return { ok: false, id, reason: 'id missing' };
  if (typeof o.item !== 'string' || o.item === '') return { ok: false, id, reason: 'item missing' };
  if (typeof o.quantity !== 'number' || !Number.isInteger(o.quantity) || o.quantity < 1) {
    return { ok: false, id, reason: `quantity ${String(o.quantity)} is not a positive integer` };
  }
  if (typeof o.createdAt !== 'string') return { ok: false, id, reason: 'createdAt missing' };
  return { ok: true, order: { id, item: o.item, quantity: o.quantity, createdAt: o.createdAt } };
}
