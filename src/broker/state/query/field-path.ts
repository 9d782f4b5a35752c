import type { FieldPath } from './parsed-query.js';

/** Dapr stores prefix paths with `value.` (the stored document); we accept it too. */
const VALUE_PREFIX = 'value';

/** Splits a dotted Dapr query key (`person.org`); undefined if empty or with an empty segment. */
export function parseFieldPath(path: string): FieldPath | undefined {
  if (path === '') return undefined;
  const segments = path.split('.');
  return segments.every((s) => s !== '') ? Object.freeze(segments) : undefined;
}

export type Resolved = { found: true; value: unknown } | { found: false };

const MISSING: Resolved = Object.freeze({ found: false });
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,8})$/;

function walk(doc: unknown, segments: FieldPath, from: number): Resolved {
  let current = doc;
  for (let i = from; i < segments.length; i += 1) {
    const segment = segments[i] as string;
    if (Array.isArray(current)) {
      if (!ARRAY_INDEX.test(segment)) return MISSING;
      const index = Number(segment);
      if (index >= current.length) return MISSING;
      current = current[index];
    } else if (current !== null && typeof current === 'object') {
      if (!Object.hasOwn(current, segment)) return MISSING;
      current = (current as Record<string, unknown>)[segment];
    } else {
      return MISSING;
    }
  }
  return { found: true, value: current };
}

/**
 * The value at `segments` inside a parsed JSON document. The path is relative to the stored
 * value (Dapr's convention); if it is not found and starts with `value.`, it is tried again
 * without that prefix, so `value.person.org` and `person.org` both work.
 */
export function resolveFieldPath(doc: unknown, segments: FieldPath): Resolved {
  const direct = walk(doc, segments, 0);
  if (direct.found || segments.length < 2 || segments[0] !== VALUE_PREFIX) return direct;
  return walk(doc, segments, 1);
}
