/**
 * The GET `cdn_locks` query (docs/compatibility.md §3.3): `cdn` and `username` filters (ANDed), and the common
 * Traffic Ops parameters `orderby` (cdn | username), `sortOrder` (asc | desc), `limit` (-1 = all),
 * `offset` and `page` (1-based, needs `limit`). Invalid values are collected and reported together
 * in one 400 with upstream's wording where upstream has one. Default order: cdn ascending.
 */
import { badRequest } from '../../errors.js';
import type { CdnLockListQuery } from '../../domain/trafficops/cdn-lock-service.js';
import { parseWith } from '../shared/validation.js';
import { cdnLockQuerySchema } from './schemas.js';

const ORDERABLE = ['cdn', 'username'] as const;
const INTEGER = /^[+-]?\d+$/;

export function parseListQuery(raw: Record<string, string | string[] | undefined>): CdnLockListQuery {
  const first = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const q = parseWith(cdnLockQuerySchema, first);
  const errors: string[] = [];
  const int = (v: string | undefined, min: number, message: string) => {
    if (v === undefined) return undefined;
    const n = INTEGER.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min) errors.push(message);
    return n;
  };
  if (q.orderby !== undefined && !(ORDERABLE as readonly string[]).includes(q.orderby)) {
    errors.push(`orderby must be one of: ${ORDERABLE.join(', ')}`);
  }
  if (q.sortOrder !== undefined && q.sortOrder !== 'asc' && q.sortOrder !== 'desc') {
    errors.push('sortOrder must be asc or desc');
  }
  const limit = int(q.limit, -1, 'limit parameter must be bigger than -1');
  const offset = int(q.offset, 1, 'offset parameter must be a positive integer');
  const page = int(q.page, 1, 'page parameter must be a positive integer');
  if (errors.length) throw badRequest(errors.join(', '));
  const bounded = limit !== undefined && limit >= 0 ? limit : undefined;
  const start = offset ?? (page !== undefined && bounded !== undefined ? (page - 1) * bounded : undefined);
  return {
    ...(q.cdn !== undefined ? { cdn: q.cdn } : {}),
    ...(q.username !== undefined ? { userName: q.username } : {}),
    orderBy: (q.orderby as CdnLockListQuery['orderBy'] | undefined) ?? 'cdn',
    descending: q.sortOrder === 'desc',
    ...(bounded !== undefined ? { limit: bounded } : {}),
    ...(start !== undefined ? { offset: start } : {}),
  };
}
