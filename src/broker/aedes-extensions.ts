/**
 * The bundled broker's extensions to Aedes (pinned exactly in package.json), as ONE named,
 * ordered list installed in one place, the way Aedes names its own publish steps. Each entry
 * says which Aedes internals it wraps or calls (AEDES_INTERNALS is their union); the contract
 * suite test/broker-contract/aedes-internals.test.ts fails when an Aedes upgrade moves one.
 *
 * Order matters where two entries wrap the same member: a later entry wraps the earlier one.
 * - emit-in-publish-order wraps `publish` first, so every publish (persist-before-puback's
 *   included) takes its slot in counter order.
 * - authorize-clients sets `authenticate`/`authorizePublish`/`authorizeSubscribe`;
 *   protect-state-topics, persist-before-puback and shared-subscriptions wrap those it set.
 * - shared-subscriptions must come before `aedes.listen()` (it reads the stored memberships).
 * The steps outside Aedes' constructor-time chain (the persistence wrapped before Aedes is made,
 * the connection-count limit and packet-size guard on each connection, the state service
 * attached after listen) are listed in SURROUNDING_STEPS and installed by start-broker.ts.
 */
import type { Aedes } from 'aedes';
import type { Logger } from '../logging/logger.js';
import { authorizeClients, type ClientAccessOptions } from './authorize-clients.js';
import { emitInPublishOrder } from './emit-in-publish-order.js';
import { logBrokerEvents } from './log-broker-events.js';
import { persistBeforePuback } from './persist-before-puback.js';
import { startSharedSubscriptions, type SharedSubscriptions } from './shared-subscriptions.js';
import type { SharedSubscriptionStore } from './shared-subscription-store.js';
import { protectStateTopics } from './state/protect-state-topics.js';

export interface ExtensionContext {
  readonly aedes: Aedes;
  /** The aedes-persistence-level instance Aedes was made with. */
  readonly persistence: object;
  readonly sharedStore: SharedSubscriptionStore;
  readonly access: ClientAccessOptions;
  readonly stateService: boolean;
  readonly maxInflight: number;
  readonly logger: Logger;
}

/** What installing the chain leaves running (to be closed after Aedes, before its database). */
export interface InstalledExtensions {
  readonly shared: SharedSubscriptions;
}

interface Extension {
  readonly name: string;
  /** The Aedes (or aedes-persistence-level) members it replaces, wraps or reads beyond the typed API. */
  readonly touches: readonly string[];
  readonly enabled?: (ctx: ExtensionContext) => boolean;
  readonly install: (ctx: ExtensionContext, installed: { shared?: SharedSubscriptions }) => void | Promise<void>;
}

/** In install order. */
export const AEDES_EXTENSIONS: readonly Extension[] = [
  {
    name: 'log-broker-events',
    touches: ["aedes 'error' event (not in the typings)"],
    install: (c) => logBrokerEvents(c.aedes, c.logger),
  },
  {
    name: 'emit-in-publish-order',
    touches: ['aedes.publish', 'aedes.mq.emit', 'aedes.mq.close', 'packet.brokerCounter'],
    install: (c) => emitInPublishOrder(c.aedes),
  },
  {
    name: 'authorize-clients',
    touches: ['aedes.authenticate', 'aedes.authorizePublish', 'aedes.authorizeSubscribe', 'aedes.authorizeForward', 'aedes.clients'],
    install: (c) => authorizeClients(c.aedes, c.access),
  },
  {
    name: 'protect-state-topics',
    touches: ['aedes.authorizePublish', 'aedes.authorizeSubscribe'],
    enabled: (c) => c.stateService,
    install: (c) => protectStateTopics(c.aedes),
  },
  {
    name: 'persist-before-puback',
    touches: ['aedes.publish', 'aedes.authorizePublish'],
    install: (c) => persistBeforePuback(c.aedes, { maxInflight: c.maxInflight }),
  },
  {
    name: 'shared-subscriptions',
    touches: [
      'aedes.subscribe',
      'aedes.unsubscribe',
      'aedes.authorizeSubscribe',
      'aedes.mq.on',
      'aedes.mq.removeListener',
      'aedes.mq.emit',
      'client.subscriptions',
      'client.deliverQoS',
      'client.deliver0',
      'client._nextId',
      'persistence.addSubscriptions',
      'persistence.removeSubscriptions',
      'persistence.subscriptionsByTopic',
      'persistence.createRetainedStreamCombi',
      'persistence.outgoingEnqueue',
      'persistence.outgoingClearMessageId',
    ],
    install: async (c, installed) => {
      installed.shared = await startSharedSubscriptions(c.aedes, c.persistence, c.sharedStore, c.logger);
    },
  },
];

/** Installed by start-broker.ts around the chain; listed here so every touched internal is in one place. */
export const SURROUNDING_STEPS: ReadonlyArray<{ readonly name: string; readonly when: string; readonly touches: readonly string[] }> = [
  { name: 'outgoing-updates-in-order', when: 'on the persistence, before Aedes is made', touches: ['persistence.outgoingUpdate'] },
  { name: 'limit-connections', when: 'per connection, before Aedes handles it', touches: ['aedes.authenticate'] },
  { name: 'guard-packet-size', when: 'per connection', touches: ['client._parser.parse'] },
];

/** Every Aedes internal the broker touches (the contract suite checks each on the pinned version). */
export const AEDES_INTERNALS: readonly string[] = [...new Set([...AEDES_EXTENSIONS, ...SURROUNDING_STEPS].flatMap((e) => e.touches))];

/** Installs the chain in order; call once, after `new Aedes()` and before `aedes.listen()`. */
export async function installAedesExtensions(ctx: ExtensionContext): Promise<InstalledExtensions> {
  const installed: { shared?: SharedSubscriptions } = {};
  for (const extension of AEDES_EXTENSIONS) {
    if (extension.enabled && !extension.enabled(ctx)) continue;
    await extension.install(ctx, installed);
  }
  if (installed.shared === undefined) throw new Error('the Aedes extension chain has no shared-subscriptions step');
  return { shared: installed.shared };
}
