/** The page of `sorted` starting at `offset`, and the token of the item after it ("" = none). */
export interface Page<T> {
  items: T[];
  token: string;
}

/**
 * Takes items from `offset` until `limit` (0 = none) or until the next one would take the
 * summed `sizeOf` past `maxBytes`; the first item is always taken, whatever its size, so a
 * page never comes back empty while items remain.
 */
export function paginate<T>(
  sorted: readonly T[],
  offset: number,
  limit: number,
  maxBytes: number,
  sizeOf: (item: T) => number,
): Page<T> {
  const end = limit > 0 ? Math.min(sorted.length, offset + limit) : sorted.length;
  const items: T[] = [];
  let bytes = 0;
  for (let i = offset; i < end; i += 1) {
    const item = sorted[i] as T;
    const size = sizeOf(item);
    if (items.length > 0 && bytes + size > maxBytes) break;
    items.push(item);
    bytes += size;
  }
  const next = offset + items.length;
  return { items, token: next < sorted.length ? String(next) : '' };
}
