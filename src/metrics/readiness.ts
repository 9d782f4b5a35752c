/** One part's readiness: ready, or the reasons it is not (each names what is not ready and why). */
export interface ReadinessCheck {
  readonly ready: boolean;
  readonly reasons: readonly string[];
}

export type ReadinessSource = () => ReadinessCheck;

/** What `/readyz` answers (as JSON). */
export interface ReadinessReport {
  readonly ready: boolean;
  /** `<part>: <reason>` for every part that is not ready. */
  readonly notReady: readonly string[];
  /** Every part registered, ready or not. */
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
}

export const READY: ReadinessCheck = Object.freeze({ ready: true, reasons: Object.freeze([]) as readonly string[] });

export function notReady(...reasons: string[]): ReadinessCheck {
  return { ready: false, reasons };
}

/**
 * The process's readiness: the parts it started (component server, broker, state service)
 * each register a check once they are up. Not ready while nothing is registered yet (starting)
 * or once shutdown began.
 */
export class Readiness {
  private readonly sources = new Map<string, ReadinessSource>();
  private shuttingDown = false;

  /** Registers `source` under `part`; the returned function removes it. */
  add(part: string, source: ReadinessSource): () => void {
    this.sources.set(part, source);
    return () => {
      if (this.sources.get(part) === source) this.sources.delete(part);
    };
  }

  /** From now on, not ready: the process is stopping. Idempotent. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  report(): ReadinessReport {
    const checks: Record<string, ReadinessCheck> = {};
    const missing: string[] = [];
    for (const [part, source] of this.sources) {
      let check: ReadinessCheck;
      try {
        check = source();
      } catch (err) {
        check = notReady(`readiness check failed: ${(err as Error).message}`);
      }
      checks[part] = check;
      if (!check.ready) missing.push(...(check.reasons.length > 0 ? check.reasons : ['not ready']).map((r) => `${part}: ${r}`));
    }
    if (this.shuttingDown) missing.unshift('process: shutting down');
    else if (this.sources.size === 0) missing.unshift('process: starting');
    return { ready: missing.length === 0, notReady: missing, checks };
  }
}
