import type { Query__Output } from '../../../generated/dapr/proto/components/v1/Query.js';
import { parseFilter } from './parse-filter.js';
import { parsePagination } from './parse-pagination.js';
import { parseSort } from './parse-sort.js';
import type { ParsedQuery } from './parsed-query.js';

/**
 * Validates a Dapr `Query` (as decoded by the gRPC loader) once, into a frozen ParsedQuery.
 * Throws StateRequestError INVALID_ARGUMENT with field `query.filter`, `query.sort`,
 * `query.pagination.limit` or `query.pagination.token`.
 */
export function parseStateQuery(query: Query__Output | undefined): ParsedQuery {
  const filter = parseFilter(query?.filter);
  const sort = parseSort(query?.sort);
  const { limit, offset } = parsePagination(query?.pagination);
  return Object.freeze({ filter, sort, limit, offset });
}
