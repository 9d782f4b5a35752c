import type { Pagination__Output } from '../../../generated/dapr/proto/components/v1/Pagination.js';
import { StateRequestError } from '../state-request-error.js';

const TOKEN = /^\d{1,15}$/;
const LIMIT = /^-?\d+$/;

/**
 * `Query.pagination` → `{ limit, offset }`. `limit` is int64 as a decimal string (loader
 * `longs: String`); 0 or absent = no limit; negative is refused (field
 * `query.pagination.limit`). `token` is ours: the decimal offset of the next item; "" = start.
 * Any other token is refused (field `query.pagination.token`).
 */
export function parsePagination(pagination: Pagination__Output | undefined): { limit: number; offset: number } {
  const rawLimit = String(pagination?.limit ?? '0');
  if (!LIMIT.test(rawLimit) || rawLimit.startsWith('-')) {
    throw new StateRequestError('INVALID_ARGUMENT', `invalid query pagination limit ${JSON.stringify(rawLimit)}: expected a non-negative integer`, 'query.pagination.limit');
  }
  const big = BigInt(rawLimit);
  const limit = big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big);

  const token = pagination?.token ?? '';
  if (token !== '' && !TOKEN.test(token)) {
    throw new StateRequestError('INVALID_ARGUMENT', `invalid query pagination token ${JSON.stringify(token)}: not a token this store returned`, 'query.pagination.token');
  }
  return { limit, offset: token === '' ? 0 : Number(token) };
}
