/**
 * `/cdn_locks` under every Traffic Ops prefix (docs/compatibility.md §3.3): GET (list), POST (create), DELETE
 * (`?cdn=`). Wire format only: parsing, the alerts envelope, `lastUpdated` per API version, and
 * upstream's null-vs-[] echoes of `sharedUserNames` (§7 T-4). Rules live in CdnLockService.
 */
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { AppContext } from '../../app-context.js';
import { principal } from '../../auth/authenticate.js';
import type { CdnLock } from '../../store/lock-stores.js';
import { badRequest } from '../../errors.js';
import { alerts } from './envelope.js';
import { parseListQuery } from './list-query.js';
import { cdnLockBodySchema } from './schemas.js';
import { formatLastUpdated, type ToMajor } from './time-format.js';

const PATHS = ['/cdn_locks', '/cdn_locks/'];

export function cdnLockRoutes(router: Router, app: AppContext, major: ToMajor, auth: Middleware): void {
  const locks = app.services.cdnLocks;
  const render = (l: CdnLock, shared: readonly string[] | null) => ({
    userName: l.userName,
    cdn: l.cdn,
    message: l.message,
    soft: l.soft,
    sharedUserNames: shared,
    lastUpdated: formatLastUpdated(l.lastUpdated, major),
  });

  router.get(PATHS, auth, async (ctx) => {
    const caller = principal(ctx);
    await locks.authorize(caller, 'list'); // permissions before parameters, as upstream
    const found = await locks.list(caller, parseListQuery(ctx.query));
    ctx.body = { response: found.map((l) => render(l, [...l.sharedUserNames])) };
  });

  router.post(PATHS, auth, async (ctx) => {
    const caller = principal(ctx);
    const parsed = cdnLockBodySchema.safeParse(ctx.request.body ?? {});
    if (!parsed.success) {
      // Upstream checks permissions (route middleware) before it decodes the body.
      await locks.authorize(caller, 'create');
      throw badRequest(parsed.error.issues[0]!.message);
    }
    const lock = await locks.create(caller, parsed.data);
    ctx.status = 201;
    ctx.body = {
      alerts: alerts('success', `${lock.soft ? 'soft' : 'hard'} CDN lock acquired!`),
      // docs/compatibility.md §7 T-4: echo what was sent, null when omitted.
      response: render(lock, parsed.data.sharedUserNames == null ? null : [...lock.sharedUserNames]),
    };
  });

  router.delete(PATHS, auth, async (ctx) => {
    const cdn = ctx.query.cdn;
    const lock = await locks.remove(principal(ctx), Array.isArray(cdn) ? cdn[0] : cdn);
    ctx.body = {
      alerts: alerts('success', 'cdn lock deleted'),
      response: render(lock, lock.sharedUserNames.length ? [...lock.sharedUserNames] : null),
    };
  });
}
