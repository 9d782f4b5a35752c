import type { Aedes } from 'aedes';
import type { Logger } from '../logging/logger.js';
import { SharedContext } from './shared-context.js';
import { createSharedDispatch } from './shared-dispatch.js';
import { createSharedMembership } from './shared-membership.js';
import { createQueueDrain } from './shared-queue-drain.js';
import { installSharedHooks } from './shared-hooks.js';
import type { SharedSubscriptionStore } from './shared-subscription-store.js';

export interface SharedSubscriptions {
  /** Stops handing messages on and waits for the store operations under way. Call after Aedes closed, before its database. */
  close(): Promise<void>;
}

/**
 * MQTT shared subscriptions (`$share/<group>/<filter>`, MQTT 5 §4.8.2) for Aedes, which grants
 * them but delivers nothing to them (its SUBSCRIBE handler puts the literal `$share/...`
 * filter on the emitter, where no real topic matches it).
 *
 * Hook points in Aedes 1.2:
 * - `aedes.subscribe`/`unsubscribe` (aedes.js:234-247, called by lib/handlers/subscribe.js:174
 *   and unsubscribe.js:60) keep Aedes' own `$share/...` listener off the emitter. Aedes still
 *   records the subscription in `client.subscriptions`, stores it for a persistent session and
 *   restores it on reconnect (connect.js:203), so membership, granted QoS and persistence are
 *   Aedes' own bookkeeping.
 * - Each share group listens once on `aedes.mq` with its inner filter. It sees every message
 *   after Aedes stored it (retained, offline queues) and in publish order
 *   (emitInPublishOrder), picks one member and writes through that client's own
 *   `deliverQoS`/`deliver0` (lib/client.js:109-162), as Aedes does for other subscriptions.
 * - Membership follows the events 'subscribe' and 'connackSent' (a restored session),
 *   'unsubscribe' and 'clientDisconnect'; persistent memberships and the groups' queues are kept
 *   by wrapping the persistence's `addSubscriptions`/`removeSubscriptions`.
 * - PUBACKs are seen by wrapping `outgoingClearMessageId`, which Aedes calls on every PUBACK
 *   (lib/handlers/puback.js:7), clean session or not.
 *
 * Install after emitInPublishOrder and before `aedes.listen()`. It wraps `authorizeSubscribe`
 * (to refuse malformed `$share` filters): one set afterwards must wrap this one, not replace it.
 */
export async function startSharedSubscriptions(
  aedes: Aedes,
  persistence: object,
  store: SharedSubscriptionStore,
  logger: Logger,
): Promise<SharedSubscriptions> {
  const ctx = new SharedContext(aedes, persistence, store, logger);
  const dispatcher = createSharedDispatch(ctx);
  const drain = createQueueDrain(ctx, dispatcher.dispatch);
  const membership = createSharedMembership(ctx, dispatcher.onMessage, drain);
  installSharedHooks(ctx, membership, dispatcher);

  // Groups with persistent members exist from the start: their messages are kept meanwhile.
  for (const { shareTopic, clientId } of await store.members()) membership.groupFor(shareTopic)?.persistent.add(clientId);

  let closing: Promise<void> | undefined;
  return {
    close: () =>
      (closing ??= (async () => {
        ctx.closed = true;
        while (ctx.work.size > 0) await Promise.allSettled([...ctx.work]);
      })()),
  };
}
