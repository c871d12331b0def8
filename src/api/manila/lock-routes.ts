/**
 * `/resource-locks` routes (docs/compatibility.md §2.3), under `/v2` or `/share/v2`, with or without a project-id
 * segment (which is only echoed in links: the caller's project comes from the token). Each route:
 * microversion ≥ 2.81, authentication, the controller-level policy, then the body or query, then
 * the service. Wire format only; rules live in ManilaLockService.
 */
import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { principal } from '../../auth/authenticate.js';
import type { ManilaLockService } from '../../domain/manila/lock-service.js';
import { DEFAULT_RESOURCE_ACTION, DEFAULT_RESOURCE_TYPE } from '../../domain/manila/lockable-resources.js';
import type { ManilaLock } from '../../store/lock-stores.js';
import { baseUrl } from '../shared/base-url.js';
import { createLockBody, parseBody, updateLockBody } from './lock-bodies.js';
import { linkBase, renderLock } from './lock-view.js';
import { bool, lastOf, nextHref, parseListQuery } from './list-query.js';
import { negotiateVersion, requireVersion } from './microversion.js';

export const LOCKS_MIN_VERSION = '2.81';

export interface LockRouteDeps {
  readonly locks: ManilaLockService;
  readonly auth: Middleware;
  /** Public base URL for links, when configured; else the request's origin. */
  readonly publicUrl: string | undefined;
}

export function lockRoutes(router: Router, prefix: string, deps: LockRouteDeps): void {
  const { locks } = deps;
  const guard = [negotiateVersion, requireVersion(LOCKS_MIN_VERSION), deps.auth] as Middleware[];
  const view = (ctx: Context, lock: ManilaLock) =>
    renderLock(lock, linkBase(baseUrl(ctx, { publicUrl: deps.publicUrl }), prefix, ctx.params.project_id));

  for (const base of ['/resource-locks', '/:project_id/resource-locks']) {
    router.post(base, ...guard, async (ctx) => {
      const caller = locks.caller(principal(ctx));
      locks.authorizeCall(caller, 'create');
      const { resource_lock: b } = parseBody(createLockBody, ctx.request.body);
      const lock = await locks.create(caller, {
        resourceId: b.resource_id,
        resourceType: b.resource_type || DEFAULT_RESOURCE_TYPE,
        resourceAction: b.resource_action || DEFAULT_RESOURCE_ACTION,
        lockReason: b.lock_reason ?? null,
      });
      ctx.status = 200; // docs/compatibility.md §7 M-1: create answers 200, not 201
      ctx.body = { resource_lock: view(ctx, lock) };
    });

    router.get(base, ...guard, async (ctx) => {
      const caller = locks.caller(principal(ctx));
      locks.authorizeCall(caller, 'get_all');
      const input = parseListQuery(ctx.query);
      const withCount = bool('with_count', lastOf(ctx.query.with_count)) ?? false;
      const { items, total } = await locks.list(caller, input);
      const body: Record<string, unknown> = { resource_locks: items.map((l) => view(ctx, l)) };
      if (withCount) body.count = total; // docs/compatibility.md §7 M-6: present even when 0
      if (input.limit !== undefined && items.length > 0 && items.length === input.limit) {
        const root = baseUrl(ctx, { publicUrl: deps.publicUrl });
        body.resource_locks_links = [{ rel: 'next', href: nextHref(ctx, root, items[items.length - 1]!.id, input) }];
      }
      ctx.body = body;
    });

    router.get(`${base}/:lock_id`, ...guard, async (ctx) => {
      const caller = locks.caller(principal(ctx));
      locks.authorizeCall(caller, 'get');
      ctx.body = { resource_lock: view(ctx, await locks.get(caller, ctx.params.lock_id!)) };
    });

    router.put(`${base}/:lock_id`, ...guard, async (ctx) => {
      const caller = locks.caller(principal(ctx));
      locks.authorizeCall(caller, 'update');
      // Upstream finds the lock (404) before it reads the body (400).
      await locks.get(caller, ctx.params.lock_id!);
      const { resource_lock: b } = parseBody(updateLockBody, ctx.request.body);
      const lock = await locks.update(caller, ctx.params.lock_id!, {
        ...(b.resource_action !== undefined ? { resourceAction: b.resource_action || DEFAULT_RESOURCE_ACTION } : {}),
        ...(b.lock_reason !== undefined ? { lockReason: b.lock_reason } : {}),
      });
      ctx.body = { resource_lock: view(ctx, lock) };
    });

    router.delete(`${base}/:lock_id`, ...guard, async (ctx) => {
      const caller = locks.caller(principal(ctx));
      locks.authorizeCall(caller, 'delete');
      await locks.delete(caller, ctx.params.lock_id!);
      ctx.status = 204;
    });
  }
}
