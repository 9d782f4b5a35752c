import type { Metadata } from '@grpc/grpc-js';
import { ComponentError } from '../errors/component-error.js';

export const INSTANCE_HEADER = 'x-component-instance';
export const DEFAULT_INSTANCE = 'default';

/**
 * The component instance a call is for: daprd sends the Component's metadata.name. daprd may
 * send the header twice: a Publish it makes while handling a delivery (the dead-letter publish)
 * reuses the subscription's outgoing context and appends the header again, which arrives as
 * "pubsub, pubsub". Component names have no commas: the last value is the call's own.
 */
export function instanceOf(metadata: Metadata): string {
  const values = metadata
    .get(INSTANCE_HEADER)
    .flatMap((v) => (typeof v === 'string' ? v : v.toString('utf8')).split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return values.at(-1) ?? DEFAULT_INSTANCE;
}

interface Closable {
  close(): Promise<void>;
}

/**
 * `MAX_INSTANCES`: how many component instances (every block together) may exist at once in
 * this process. Shared by the registries; a name counts from its Init until it is gone.
 */
export class InstanceLimit {
  readonly names = new Set<string>();
  constructor(readonly max: number) {}
}

/**
 * One component object per instance name and block. Init replaces (and closes) a previous
 * object; Inits of one instance run one after another.
 */
export class InstanceRegistry<T extends Closable> {
  private readonly live = new Map<string, T>();
  /**
   * Instance names called without an Init in this process: daprd initializes components only at
   * its start, so after a restart of this process under a running daprd these calls never stop.
   */
  readonly orphans = new Set<string>();
  private readonly pending = new Map<string, Promise<unknown>>();
  private closed = false;

  constructor(
    readonly block: string,
    private readonly limit: InstanceLimit = new InstanceLimit(Number.MAX_SAFE_INTEGER),
  ) {}

  async init(instance: string, create: () => Promise<T>): Promise<T> {
    const key = `${this.block}/${instance}`;
    if (!this.limit.names.has(key)) {
      // A new instance; Init of an existing one (which replaces it) is always allowed.
      if (this.limit.names.size >= this.limit.max) {
        throw new ComponentError(
          'ERR_INSTANCE_LIMIT',
          `${this.limit.names.size} component instances are initialized in this process, the most MAX_INSTANCES (${this.limit.max}) allows: ${this.block} instance "${instance}" refused`,
          { field: 'MAX_INSTANCES' },
        );
      }
      this.limit.names.add(key);
    }
    const before = this.pending.get(instance) ?? Promise.resolve();
    const next = before.catch(() => undefined).then(async () => {
      if (this.closed) throw new ComponentError('ERR_SHUTTING_DOWN', 'the component is shutting down');
      const old = this.live.get(instance);
      this.live.delete(instance);
      await old?.close();
      const created = await create();
      if (this.closed) {
        await created.close();
        throw new ComponentError('ERR_SHUTTING_DOWN', 'the component is shutting down');
      }
      this.live.set(instance, created);
      this.orphans.delete(instance);
      return created;
    });
    this.pending.set(instance, next);
    try {
      return await next;
    } finally {
      if (this.pending.get(instance) === next) this.pending.delete(instance);
      // A failed Init (and no other on its way) leaves no instance: it no longer counts.
      if (!this.live.has(instance) && !this.pending.has(instance)) this.limit.names.delete(key);
    }
  }

  get(instance: string): T {
    const found = this.live.get(instance);
    if (!found) {
      if (!this.pending.has(instance)) this.orphans.add(instance);
      // Real daprd calls Init only when it starts: after a restart of this process it keeps
      // calling an instance this process never saw.
      throw new ComponentError(
        'ERR_NOT_INITIALIZED',
        `${this.block} instance "${instance}" is not initialized: call Init first (if this component process restarted after daprd started, restart daprd: it initializes components only at its start)`,
      );
    }
    return found;
  }

  all(): T[] {
    return [...this.live.values()];
  }

  /** Instance names with their objects (readiness reports name the instance). */
  entries(): Array<[string, T]> {
    return [...this.live.entries()];
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.pending.values()]);
    const all = this.all();
    for (const instance of this.live.keys()) this.limit.names.delete(`${this.block}/${instance}`);
    this.live.clear();
    await Promise.all(all.map((c) => c.close()));
  }
}
