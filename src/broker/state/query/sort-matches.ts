import { compareForSort, compareStrings } from './compare-values.js';
import type { Resolved } from './field-path.js';
import type { SortKey } from './parsed-query.js';

/** A matching item with its sort values resolved once. */
export interface Match<T extends { key: string }> {
  readonly item: T;
  /** One per sort key, in sort-key order. */
  readonly sortValues: readonly Resolved[];
  /** Position in the input, the last tie-breaker. */
  readonly index: number;
}

function compareResolved(a: Resolved, b: Resolved, descending: boolean): number {
  if (!a.found || !b.found) return Number(!a.found) - Number(!b.found); // missing last, both orders
  const c = compareForSort(a.value, b.value);
  return descending ? -c : c;
}

/**
 * Sorts in place by the sort keys in order, then by state key (code point order), then by
 * input position: a total order, so an offset token finds the same place on the next call.
 */
export function sortMatches<T extends { key: string }>(matches: Match<T>[], sort: readonly SortKey[]): Match<T>[] {
  return matches.sort((a, b) => {
    for (let i = 0; i < sort.length; i += 1) {
      const c = compareResolved(a.sortValues[i] as Resolved, b.sortValues[i] as Resolved, (sort[i] as SortKey).descending);
      if (c !== 0) return c;
    }
    return compareStrings(a.item.key, b.item.key) || a.index - b.index;
  });
}
