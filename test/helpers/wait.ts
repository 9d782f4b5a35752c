import { setTimeout as delay } from 'node:timers/promises';

/** Default bound for every wait in the tests: long enough for a loaded machine, short enough to fail fast. */
export const DEFAULT_WAIT_MS = 10_000;

export interface WaitOptions {
  /** Give up after this many milliseconds (default {@link DEFAULT_WAIT_MS}). */
  timeoutMs?: number;
  /** Poll interval in milliseconds (default 20). */
  intervalMs?: number;
}

/**
 * Polls `condition` until it returns true, or rejects after the timeout with
 * `describe()` in the message, so a failing wait says what it was waiting for and what it saw.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  describe: () => string,
  options: WaitOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
  const intervalMs = options.intervalMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`);
    }
    await delay(intervalMs);
  }
}

/** Rejects with `what` in the message if `promise` does not settle within `timeoutMs`. */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms: ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Observes that `condition` stays false for `windowMs`. Used only to show that something does
 * NOT happen (e.g. no delivery while paused); never to wait for something to happen.
 */
export async function staysFalse(condition: () => boolean, windowMs: number, intervalMs = 20): Promise<boolean> {
  const end = Date.now() + windowMs;
  while (Date.now() < end) {
    if (condition()) return false;
    await delay(intervalMs);
  }
  return !condition();
}
