/**
 * Project rule: a test whose peer is missing fails with one line naming it; it does not skip.
 * Call `requirePeer(missing)` in a `before()` hook of the describe (every test in it then fails
 * with that line) or at the top of an `it`, with `false`/`undefined` when the peer is there.
 */

/** Throws `new Error(missing)` when `missing` is a string: the one line naming the peer and how to get it. */
export function requirePeer(missing: string | false | undefined): void {
  if (typeof missing === 'string') throw new Error(missing);
}

/** The one line for the shared Mosquitto not answering at `url`. */
export const mosquittoUnreachable = (url: string): string => `Mosquitto is not reachable at ${url}: run bash scripts/test-prereqs.sh`;

/** The one line for the mosquitto binary not being installed (private brokers). */
export const MOSQUITTO_NOT_INSTALLED = 'mosquitto is not installed: apt-get install mosquitto (scripts/test-prereqs.sh does it)';
