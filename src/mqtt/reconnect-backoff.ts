export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

/** Delay for attempt n (0-based): exponential, capped, with ±25% jitter so replicas spread out. */
export function backoffDelay(attempt: number, { initialMs, maxMs }: BackoffOptions, random = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.max(1, Math.round(base * (0.75 + random() * 0.5)));
}
