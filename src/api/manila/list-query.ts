/**
 * Query parameters of GET /resource-locks (docs/compatibility.md §2.3 list, §7 M-4, M-10, M-11): validated one by
 * one into the domain's ListLocksInput, 400 with upstream's wording on the first bad one. Unknown
 * keys are ignored; a repeated key counts by its last value.
 */
import type { ParsedUrlQuery } from 'node:querystring';
import type { Context } from 'koa';
import { badRequest } from '../../errors.js';
import type { ListLocksInput } from '../../domain/manila/lock-service.js';
import { resourceActions, resourceTypes } from '../../domain/manila/lockable-resources.js';
import type { ManilaSortKey } from '../../store/lock-stores.js';
import { isUuidLike } from './lock-bodies.js';

/** Upstream's osapi_max_limit default. */
export const MAX_LIMIT = 1000;

/** The documented keys, plus lock_reason which python-manilaclient offers (--sort-key). */
export const SORT_KEYS: readonly ManilaSortKey[] = [
  'id',
  'resource_id',
  'resource_type',
  'resource_action',
  'user_id',
  'project_id',
  'created_at',
  'updated_at',
  'lock_context',
  'lock_reason',
];

const TRUE = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE = ['0', 'f', 'false', 'off', 'n', 'no'];

const invalid = (name: string, value: string, reason: string) =>
  badRequest(`Invalid input for query parameters ${name}. Value: ${value}. ${reason}`);

export function parseListQuery(query: ParsedUrlQuery): ListLocksInput {
  const get = (name: string): string | undefined => {
    const v = query[name];
    return Array.isArray(v) ? v[v.length - 1] : v;
  };
  const uuid = (name: string) => {
    const v = get(name);
    if (v !== undefined && !isUuidLike(v)) throw invalid(name, v, `'${v}' is not a 'uuid'`);
    return v;
  };
  const oneOf = (name: string, allowed: readonly string[]) => {
    const v = get(name);
    if (v !== undefined && !allowed.includes(v)) {
      throw invalid(name, v, `'${v}' is not one of [${allowed.map((a) => `'${a}'`).join(', ')}]`);
    }
    return v;
  };
  const maxLength = (name: string, max: number) => {
    const v = get(name);
    if (v !== undefined && v.length > max) throw invalid(name, v, `'${v}' is too long`);
    return v;
  };
  const sortKey = oneOf('sort_key', SORT_KEYS) as ManilaSortKey | undefined;
  const limit = integer('limit', get('limit'));
  const offset = integer('offset', get('offset'));
  const input: Record<string, unknown> = {
    id: get('id'),
    userId: uuid('user_id'),
    projectId: uuid('project_id'),
    resourceId: uuid('resource_id'),
    resourceType: oneOf('resource_type', resourceTypes()),
    resourceAction: oneOf('resource_action', resourceActions()),
    lockContext: maxLength('lock_context', 10),
    lockReason: maxLength('lock_reason', 1023),
    lockReasonContains: get('lock_reason~'),
    createdSince: instant('created_since', get('created_since')),
    createdBefore: instant('created_before', get('created_before')),
    allProjects: bool('all_projects', get('all_projects')) ?? false,
    sortKey: sortKey ?? 'created_at',
    // Upstream treats anything but 'desc' as ascending.
    sortDir: (get('sort_dir') ?? 'desc') === 'desc' ? 'desc' : 'asc',
    limit: limit === undefined ? undefined : Math.min(limit, MAX_LIMIT),
    offset,
  };
  for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
  return input as unknown as ListLocksInput;
}

/** `with_count` and `all_projects`: true/false/1/0/yes/no/on/off (docs/compatibility.md §7 M-4). */
export function bool(name: string, v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const s = v.trim().toLowerCase();
  if (TRUE.includes(s)) return true;
  if (FALSE.includes(s)) return false;
  throw invalid(name, v, `'${v}' is not a valid boolean`);
}

/** `limit` / `offset`: a non-negative integer, with upstream's messages. */
export function integer(name: 'limit' | 'offset', v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[+-]?\d+$/.test(v.trim())) throw badRequest(`${name} param must be an integer`);
  const n = Number(v);
  if (n < 0) throw badRequest(`${name} param must be positive`);
  if (!Number.isSafeInteger(n)) throw badRequest(`${name} param must be an integer`);
  return n;
}

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** ISO-8601 date or date-time; naive values are UTC. Returns an ISO instant. */
function instant(name: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const s = v.trim();
  if (!ISO.test(s)) throw badRequest(`Invalid value specified for the query key: ${name}`);
  let normalized = s.replace(' ', 'T');
  if (normalized.length === 10) normalized += 'T00:00:00';
  const offset = /([+-]\d{2}):?(\d{2})?$/.exec(normalized.slice(10));
  if (offset) normalized = normalized.slice(0, normalized.length - offset[0].length) + `${offset[1]}:${offset[2] ?? '00'}`;
  else if (!/Z$/i.test(normalized)) normalized += 'Z';
  const d = new Date(normalized);
  if (Number.isNaN(d.getTime())) throw badRequest(`Invalid value specified for the query key: ${name}`);
  return d.toISOString();
}

export function lastOf(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** Next page: the same query with `offset` advanced, plus upstream's `marker` (ignored on input). */
export function nextHref(ctx: Context, root: string, lastId: string, input: { limit?: number; offset?: number }): string {
  const params = new URLSearchParams(ctx.querystring);
  params.set('limit', String(input.limit));
  params.set('offset', String((input.offset ?? 0) + (input.limit ?? 0)));
  params.set('marker', lastId);
  return `${root}${ctx.path}?${params.toString()}`;
}
