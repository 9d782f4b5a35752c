export interface Sweeper {
  /** Stops the timer and waits for a sweep under way; idempotent. */
  close(): Promise<void>;
}

/**
 * Runs `sweep` every `intervalMs`, never two at once (the next one is timed from the end of the
 * previous one). The timer does not keep the process alive. `sweep` must not reject.
 */
export function startSweeper(intervalMs: number, sweep: () => Promise<void>): Sweeper {
  let stopped = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const schedule = (): void => {
    timer = setTimeout(tick, intervalMs);
    timer.unref();
  };
  const tick = (): void => {
    running = sweep()
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
        if (!stopped) schedule();
      });
  };
  schedule();

  return {
    async close() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
