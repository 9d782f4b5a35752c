import { hostname } from 'node:os';
import { shortHash } from '../mqtt/short-hash.js';

/**
 * Base client id of one component instance: the `clientId` metadata, else one derived from the
 * consumer group, this host, this process's socket path and the component name. Stable across
 * a restart of the replica (so its persistent sessions resume) and distinct between replicas,
 * even two on one host (two processes cannot serve one socket path), so replicas never take
 * each other's session over.
 */
export function baseClientId(configured: string | undefined, consumerID: string, replica: string, instance: string): string {
  return configured ?? `${consumerID}-${shortHash(`${hostname()}\u0000${replica}\u0000${instance}`)}`;
}

export function publisherClientId(base: string): string {
  return `${base}-pub`;
}

/** One connection per topic subscription; `n` tells apart two streams on one topic. */
export function subscriberClientId(base: string, filter: string, n: number): string {
  return `${base}-sub-${shortHash(filter)}${n > 0 ? `-${n}` : ''}`;
}
