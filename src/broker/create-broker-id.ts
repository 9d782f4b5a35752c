import { randomBytes } from 'node:crypto';

/**
 * A broker id that sorts by start time.
 *
 * aedes-persistence-level keys a queued message by `<brokerId>:<counter>` and replays a
 * client's queue in key order. The counter restarts at 1 on every start, so the id must change
 * per start (a fixed id would overwrite messages still queued from the previous run), and with
 * Aedes' default random UUID, messages queued before a restart may be replayed after those
 * queued since. A fixed-width base-36 start time first keeps the queue in publish order.
 */
export function createBrokerId(now: number = Date.now()): string {
  return `${now.toString(36).padStart(10, '0')}-${randomBytes(4).toString('hex')}`;
}
