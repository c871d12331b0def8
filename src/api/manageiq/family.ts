/**
 * The ManageIQ REST API family (docs/compatibility.md §5): the `set_ownership` action on seven collections under
 * `/api` (and `/api/vX.Y`), in ManageIQ's error envelope. Ownership is written to the resource
 * registry, so decisions see it at once (§5.6, §8.1).
 */
import type { Context } from 'koa';
import type { AppContext } from '../../app-context.js';
import { createOwnershipService } from '../../domain/ownership/ownership-service.js';
import type { ApiFamily } from '../shared/family.js';
import { miqAuthenticate } from './auth.js';
import { documentManageiq } from './docs.js';
import { manageiqEnvelope } from './envelope.js';
import { ownershipRoutes } from './routes.js';

export function createManageiqFamily(app: AppContext): ApiFamily {
  const ownership = createOwnershipService(app);
  const auth = miqAuthenticate(app);
  documentManageiq(app.docs);
  return {
    name: 'manageiq',
    prefixes: ['/api'],
    envelope: manageiqEnvelope,
    routes(router, prefix) {
      router.use(auth);
      ownershipRoutes(router, prefix, app, ownership);
    },
    messages: {
      malformedBody: (detail) => detail,
      notFound: (ctx: Context) => `Invalid request ${ctx.path}`,
      internal: 'Internal Server Error',
    },
  };
}
