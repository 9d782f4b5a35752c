import type { Sorting__Output } from '../../../generated/dapr/proto/components/v1/Sorting.js';
import { StateRequestError } from '../state-request-error.js';
import { parseFieldPath } from './field-path.js';
import type { SortKey } from './parsed-query.js';

/**
 * `Query.sort` → sort keys. Order is the enum name (`ASC`/`DESC`, loader `enums: String`);
 * its number is accepted too, and absent = ASC (proto3 default).
 * Throws StateRequestError INVALID_ARGUMENT, field `query.sort`.
 */
export function parseSort(sort: readonly Sorting__Output[] | undefined): readonly SortKey[] {
  const keys = (sort ?? []).map((s, i): SortKey => {
    const path = s.key ?? '';
    const segments = parseFieldPath(path);
    if (segments === undefined) {
      throw new StateRequestError('INVALID_ARGUMENT', `invalid query sort[${i}]: key ${JSON.stringify(path)} is empty or has an empty segment`, 'query.sort');
    }
    const order: unknown = s.order ?? 'ASC';
    if (order !== 'ASC' && order !== 'DESC' && order !== 0 && order !== 1) {
      throw new StateRequestError('INVALID_ARGUMENT', `invalid query sort[${i}]: order ${JSON.stringify(order)} is not ASC or DESC`, 'query.sort');
    }
    return Object.freeze({ path, segments, descending: order === 'DESC' || order === 1 });
  });
  return Object.freeze(keys);
}
