/**
 * `GET /shares/{id}`, `GET /shares` and `GET /shares/detail` (any microversion), with or without
 * the project-id segment: what python-manilaclient's `find_resource` sends before it locks a
 * share (show by id, then `shares/detail?all_tenants=1&is_public=True`, and once more with
 * `is_soft_deleted=True`). Wire format only; which shares are visible is ManilaShareService's.
 */
import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { ParsedUrlQuery } from 'node:querystring';
import { principal } from '../../auth/authenticate.js';
import type { ManilaLockService } from '../../domain/manila/lock-service.js';
import type { ListSharesInput, ManilaShareService } from '../../domain/manila/share-service.js';
import { baseUrl } from '../shared/base-url.js';
import { bool, integer, lastOf, MAX_LIMIT, nextHref } from './list-query.js';
import { linkBase } from './lock-view.js';
import { compareVersions, negotiateVersion, parseVersion, type Microversion } from './microversion.js';
import { shareDetail, shareSummary } from './share-view.js';

/** `count` in listings arrived with microversion 2.42 (`with_count`). */
const WITH_COUNT_SINCE = parseVersion('2.42')!;

export interface ShareRouteDeps {
  readonly shares: ManilaShareService;
  /** For the caller's context (admin, service, user) that policy rows may use. */
  readonly locks: ManilaLockService;
  readonly auth: Middleware;
  readonly publicUrl: string | undefined;
}

export function shareRoutes(router: Router, prefix: string, deps: ShareRouteDeps): void {
  const guard = [negotiateVersion, deps.auth] as Middleware[];
  const base = (ctx: Context) =>
    linkBase(baseUrl(ctx, { publicUrl: deps.publicUrl }), prefix, ctx.params.project_id);

  const list = (detailed: boolean) => async (ctx: Context) => {
    const caller = deps.locks.caller(principal(ctx));
    const input = parseShareQuery(ctx.query);
    const version = ctx.state.manilaVersion as Microversion;
    const { items, total } = await deps.shares.list(caller, input);
    const links = base(ctx);
    const body: Record<string, unknown> = {
      shares: items.map((s) => (detailed ? shareDetail(s, links, version) : shareSummary(s, links))),
    };
    if (bool('with_count', lastOf(ctx.query.with_count)) && compareVersions(version, WITH_COUNT_SINCE) >= 0) {
      body.count = total;
    }
    if (input.limit !== undefined && items.length > 0 && items.length === input.limit) {
      const root = baseUrl(ctx, { publicUrl: deps.publicUrl });
      body.shares_links = [{ rel: 'next', href: nextHref(ctx, root, items[items.length - 1]!.id, input) }];
    }
    ctx.body = body;
  };

  for (const shares of ['/shares', '/:project_id/shares']) {
    router.get(`${shares}/detail`, ...guard, list(true));
    router.get(shares, ...guard, list(false));
    router.get(`${shares}/:share_id`, ...guard, async (ctx) => {
      const caller = deps.locks.caller(principal(ctx));
      const share = await deps.shares.get(caller, ctx.params.share_id!);
      ctx.body = { share: shareDetail(share, base(ctx), ctx.state.manilaVersion as Microversion) };
    });
  }
}

/** The listing filters upstream applies to a share listing; unknown keys are ignored. */
function parseShareQuery(query: ParsedUrlQuery): ListSharesInput {
  const get = (name: string) => lastOf(query[name]);
  const limit = integer('limit', get('limit'));
  const input: Record<string, unknown> = {
    allTenants: bool('all_tenants', get('all_tenants')) ?? false,
    isPublic: bool('is_public', get('is_public')) ?? false,
    isSoftDeleted: bool('is_soft_deleted', get('is_soft_deleted')) ?? false,
    name: get('name'),
    nameContains: get('name~'),
    description: get('description'),
    descriptionContains: get('description~'),
    status: get('status'),
    projectId: get('project_id'),
    sortKey: get('sort_key') ?? 'created_at',
    // Upstream treats anything but 'asc' as descending here (its default).
    sortDir: get('sort_dir') === 'asc' ? 'asc' : 'desc',
    limit: limit === undefined ? undefined : Math.min(limit, MAX_LIMIT),
    offset: integer('offset', get('offset')),
  };
  for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
  return input as unknown as ListSharesInput;
}
