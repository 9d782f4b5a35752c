import { hostname } from 'node:os';
import { shortHash } from '../mqtt/short-hash.js';

/**
 * The state connection's client id: `<clientId>-state`, else one derived from this host, this
 * process's socket path and the component name: stable across a restart of the replica (its
 * queued replies wait for it) and distinct between replicas.
 */
export function stateClientId(configured: string | undefined, replica: string, instance: string): string {
  return `${configured ?? `dapr-state-${shortHash(`${hostname()}\u0000${replica}\u0000${instance}`)}`}-state`;
}
