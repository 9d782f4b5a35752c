/**
 * Deadlines of many operations on one timer: entries are kept in deadline order (operations
 * with one timeout arrive in that order already, so adding is an append), the timer is armed
 * for the earliest, and a finished operation's entry is only marked, then dropped when it
 * reaches the front. Replaces a setTimeout/clearTimeout pair per operation.
 */
export interface Deadline {
  /** The operation finished in time: its expiry will not run. */
  clear(): void;
}

interface Entry extends Deadline {
  readonly at: number;
  readonly onExpire: () => void;
  cleared: boolean;
}

export class DeadlineQueue {
  private entries: Entry[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Infinity;

  /** Runs `onExpire` at `at` (Date.now() time) unless the returned deadline is cleared first. */
  add(at: number, onExpire: () => void): Deadline {
    const entry: Entry = {
      at,
      onExpire,
      cleared: false,
      clear() {
        entry.cleared = true;
      },
    };
    this.dropClearedFront();
    let i = this.entries.length;
    while (i > this.head && (this.entries[i - 1] as Entry).at > at) i -= 1;
    if (i === this.entries.length) this.entries.push(entry);
    else this.entries.splice(i, 0, entry);
    if (at < this.armedFor) this.arm(at);
    return entry;
  }

  /** Operations whose deadline has not passed and that are not cleared (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (let i = this.head; i < this.entries.length; i++) if (!(this.entries[i] as Entry).cleared) n += 1;
    return n;
  }

  /** Stops the timer; pending expiries never run. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
    this.entries = [];
    this.head = 0;
  }

  /** Cleared entries at the front need no timer; the array is compacted now and then, not on every call. */
  private dropClearedFront(): void {
    while (this.head < this.entries.length && (this.entries[this.head] as Entry).cleared) this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.armedFor = at;
    this.timer = setTimeout(() => this.sweep(), Math.max(0, at - Date.now()));
  }

  private sweep(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = Date.now();
    while (this.head < this.entries.length) {
      const entry = this.entries[this.head] as Entry;
      if (!entry.cleared && entry.at > now) break;
      this.head += 1;
      if (!entry.cleared) {
        entry.cleared = true;
        entry.onExpire();
      }
    }
    this.dropClearedFront();
    const next = this.entries[this.head];
    if (next !== undefined) this.arm(next.at);
    else {
      this.entries = [];
      this.head = 0;
    }
  }
}
