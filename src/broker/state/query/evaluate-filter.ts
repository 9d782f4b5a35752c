import { compareValues, jsonEquals } from './compare-values.js';
import { resolveFieldPath } from './field-path.js';
import type { FilterNode } from './parsed-query.js';

/**
 * Whether a parsed JSON document matches the filter. A leaf whose path is missing never
 * matches (NEQ included, as SQL's NULL comparison); GT/GTE/LT/LTE compare only numbers with
 * numbers and strings with strings; EQ, NEQ and IN use deep JSON equality.
 */
export function evaluateFilter(node: FilterNode, doc: unknown): boolean {
  switch (node.op) {
    case 'AND':
      return node.filters.every((f) => evaluateFilter(f, doc));
    case 'OR':
      return node.filters.some((f) => evaluateFilter(f, doc));
    case 'IN': {
      const r = resolveFieldPath(doc, node.segments);
      return r.found && node.values.some((v) => jsonEquals(r.value, v));
    }
    default: {
      const r = resolveFieldPath(doc, node.segments);
      if (!r.found) return false;
      switch (node.op) {
        case 'EQ':
          return jsonEquals(r.value, node.value);
        case 'NEQ':
          return !jsonEquals(r.value, node.value);
        default: {
          const c = compareValues(r.value, node.value);
          if (c === undefined) return false;
          if (node.op === 'GT') return c > 0;
          if (node.op === 'GTE') return c >= 0;
          if (node.op === 'LT') return c < 0;
          return c <= 0;
        }
      }
    }
  }
}
