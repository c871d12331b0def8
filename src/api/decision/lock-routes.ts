/** `GET /v1/locks`: the locks of the three lock families the caller may see, in one list. */
import type Router from '@koa/router';
import type { AppContext } from '../../app-context.js';
import { principal } from '../../auth/authenticate.js';
import { parseWith } from '../shared/validation.js';
import { lockListQuerySchema } from './schemas.js';

export function lockRoutes(router: Router, app: AppContext): void {
  router.get('/locks', async (ctx) => {
    const q = parseWith(lockListQuerySchema, ctx.query);
    const locks = await app.services.lockOverview.list(principal(ctx), {
      ...(q.family ? { family: q.family } : {}),
      ...(q.resource_type ? { resourceType: q.resource_type } : {}),
      ...(q.resource_id ? { resourceId: q.resource_id } : {}),
      ...(q.holder ? { holder: q.holder } : {}),
    });
    ctx.body = { locks };
  });
}
