/**
 * System-management route + id locks (docs/compatibility.md §4): `POST /admin/lock`, `DELETE /admin/remove-lock`.
 * Every response, errors included, is `{data, code}`. Credentials: the `refreshToken` cookie, and
 * `Authorization: Bearer` for convenience. DELETE reads its JSON body, falling back to the query
 * string field by field (§7 S-7).
 */
import type { Context } from 'koa';
import type { AppContext } from '../../app-context.js';
import { authenticate, principal } from '../../auth/authenticate.js';
import { MISSING_PARAMETERS } from '../../domain/adminlocks/lock-key.js';
import type { RouteLockRequest } from '../../domain/adminlocks/route-lock-service.js';
import type { ApiFamily } from '../shared/family.js';
import { documentAdminLocks } from './adminlocks-docs.js';
import { adminLocksEnvelope, respond } from './envelope.js';

function fields(ctx: Context, queryFallback: boolean): RouteLockRequest {
  const body: unknown = ctx.request.body;
  const b = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const q = (name: string) => (queryFallback ? ctx.query[name] : undefined);
  return { route: b.route ?? q('route'), id: b.id ?? q('id') };
}

export function createAdminLocksFamily(app: AppContext): ApiFamily {
  const auth = authenticate(app.authenticator, { carriers: ['cookie:refreshToken', 'bearer'], message: 'Unauthorized' });
  const locks = app.services.routeLocks;
  documentAdminLocks(app.docs);
  return {
    name: 'adminlocks',
    prefixes: ['/admin'],
    envelope: adminLocksEnvelope,
    routes(router) {
      router.use(auth);
      router.post('/lock', async (ctx) => {
        await locks.acquire(principal(ctx), fields(ctx, false));
        respond(ctx, 200, 'Success');
      });
      router.delete('/remove-lock', async (ctx) => {
        await locks.release(principal(ctx), fields(ctx, true));
        respond(ctx, 200, 'Success');
      });
    },
    messages: {
      // One documented 400 text for every unreadable input (docs/compatibility.md §7 S-5).
      malformedBody: () => MISSING_PARAMETERS,
      notFound: () => 'Not found',
      methodNotAllowed: () => 'Method Not Allowed',
      internal: 'Internal server error',
      unavailable: 'Service Unavailable',
    },
  };
}
