/**
 * The Manila family (docs/compatibility.md §2): resource locks at microversion 2.81 under `/v2` and `/share/v2`
 * (also with a project-id segment), read-only shares (the registry's `share` resources, which
 * clients look up before locking one), the v2 version document at those prefixes' roots, and the
 * root versions list at `/share`. Credentials: `X-Auth-Token` or `Authorization: Bearer`, plus an
 * optional `X-Service-Token`. Errors use Manila's fault envelope; every response carries
 * `x-compute-request-id`.
 */
import type { AppContext } from '../../app-context.js';
import { authenticate } from '../../auth/authenticate.js';
import { ManilaShareService } from '../../domain/manila/share-service.js';
import type { ApiFamily } from '../shared/family.js';
import { manilaEnvelope } from './fault-envelope.js';
import { lockRoutes } from './lock-routes.js';
import { documentManila } from './manila-docs.js';
import { negotiateVersion } from './microversion.js';
import { computeRequestId } from './request-id.js';
import { shareRoutes } from './share-routes.js';
import { rootVersions, v2Versions } from './version-docs.js';

export const MANILA_ROOT = '/share';
export const MANILA_V2_PREFIXES = ['/v2', '/share/v2'] as const;

export function createManilaFamily(app: AppContext): ApiFamily {
  const auth = authenticate(app.authenticator, {
    carriers: ['x-auth-token', 'bearer'],
    message: 'The request you have made requires authentication.',
  });
  const locks = app.services.manilaLocks;
  const shares = new ManilaShareService({ stores: app.stores, authorizer: app.services.authorizer });
  const publicUrl = app.config.publicUrl;
  documentManila(app.docs);
  return {
    name: 'manila',
    prefixes: [MANILA_ROOT, ...MANILA_V2_PREFIXES],
    envelope: manilaEnvelope,
    middleware: [computeRequestId],
    routes(router, prefix) {
      if (prefix === MANILA_ROOT) {
        router.get('/', (ctx) => rootVersions(ctx, publicUrl));
        return;
      }
      router.get('/', negotiateVersion, (ctx) => v2Versions(ctx, publicUrl));
      lockRoutes(router, prefix, { locks, auth, publicUrl });
      shareRoutes(router, prefix, { shares, locks, auth, publicUrl });
    },
    messages: {
      malformedBody: () => 'Malformed request body',
      // Upstream's size-limit middleware.
      tooLarge: 'Request is too large.',
      notFound: () => 'The resource could not be found.',
      methodNotAllowed: (ctx) => `The method ${ctx.method} is not allowed for this resource.`,
      internal: 'The server has either erred or is incapable of performing the requested operation.',
      unavailable: 'The service is unavailable.',
    },
  };
}
