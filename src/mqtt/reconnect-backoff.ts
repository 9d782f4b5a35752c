export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

/** Delay for attempt n (0-based): exponential, capped, with ±25% jitter so replicas spread out. */
export function backoffDelay(attempt: number, { initialMs, maxMs }: BackoffOptions, random = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.max(1, Math.round(base * (0.75 + random() * 0.5)));
}

/**
 * Delay before reconnect attempt n when the attempts rotate through `brokers` entries (a cluster
 * in `url`): one round through the list runs at the same delay, and the backoff grows per round,
 * so the loss of one node costs one short delay, not one per dead entry.
 */
export function roundBackoffDelay(attempt: number, brokers: number, options: BackoffOptions, random = Math.random): number {
  return backoffDelay(Math.floor(attempt / Math.max(1, brokers)), options, random);
}
