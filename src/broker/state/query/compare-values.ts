/**
 * Orders two strings by Unicode code point (the order of their UTF-8 bytes), not by UTF-16
 * code unit as `<` does.
 */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Moves surrogates (U+D800–DFFF, i.e. code points above U+FFFF) after U+E000–FFFF. */
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/**
 * Filter comparison (GT/GTE/LT/LTE): numbers with numbers, strings with strings. Any other
 * pair is incomparable (undefined), so the condition does not match.
 */
export function compareValues(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return Math.sign(compareStrings(a, b));
  return undefined;
}

/** Deep equality of two parsed JSON values (object member order ignored). */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEquals(item, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = Object.keys(ra);
  if (keys.length !== Object.keys(rb).length) return false;
  return keys.every((k) => Object.hasOwn(rb, k) && jsonEquals(ra[k], rb[k]));
}

/** Rank of each JSON type in sort order (MongoDB's BSON order for the types JSON has). */
function typeRank(v: unknown): number {
  if (v === null) return 0;
  if (typeof v === 'number') return 1;
  if (typeof v === 'string') return 2;
  if (Array.isArray(v)) return 4;
  if (typeof v === 'object') return 3;
  return 5; // boolean
}

/** JSON text with object members sorted, so equal values give equal text. */
function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const r = v as Record<string, unknown>;
  const members = Object.keys(r)
    .sort(compareStrings)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(r[k])}`);
  return `{${members.join(',')}}`;
}

/**
 * Total order over parsed JSON values, for sorting: null < numbers < strings < objects <
 * arrays < booleans; objects and arrays by their canonical JSON text.
 */
export function compareForSort(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  const scalar = compareValues(a, b);
  if (scalar !== undefined) return scalar;
  if (typeof a === 'boolean') return Number(a) - Number(b);
  if (a === null) return 0;
  return Math.sign(compareStrings(canonicalJson(a), canonicalJson(b)));
}
