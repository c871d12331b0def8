/**
 * Traffic Ops API family (docs/compatibility.md §3): `user/login` and `user/logout` (the `mojolicious`
 * cookie session) and `cdn_locks` under every served API version, the alerts envelope for every
 * error (unknown paths, 405, bad JSON included), and Traffic Ops credentials: the `mojolicious`
 * cookie or `Authorization: Bearer` (§3.1).
 */
import type { AppContext } from '../../app-context.js';
import { authenticate } from '../../auth/authenticate.js';
import { TO_UNAUTHORIZED } from '../../domain/trafficops/cdn-lock-service.js';
import type { ApiFamily } from '../shared/family.js';
import { cdnLockRoutes } from './cdn-lock-routes.js';
import { sessionRoutes } from './session-routes.js';
import { documentTrafficOps } from './trafficops-docs.js';
import { trafficOpsEnvelope } from './envelope.js';
import type { ToMajor } from './time-format.js';

/** One family, several API versions: 5.0 differs only in `lastUpdated` (docs/compatibility.md §3.1). */
export const TRAFFIC_OPS_PREFIXES = ['/api/4.0', '/api/4.1', '/api/5.0'] as const;

export function createTrafficOpsFamily(app: AppContext): ApiFamily {
  const auth = authenticate(app.authenticator, { carriers: ['cookie:mojolicious', 'bearer'], message: TO_UNAUTHORIZED });
  documentTrafficOps(app.docs, TRAFFIC_OPS_PREFIXES);
  return {
    name: 'trafficops',
    prefixes: TRAFFIC_OPS_PREFIXES,
    envelope: trafficOpsEnvelope,
    routes(router, prefix) {
      const major = Number(prefix.slice('/api/'.length).split('.')[0]) as ToMajor;
      sessionRoutes(router, app, auth);
      cdnLockRoutes(router, app, major, auth);
    },
    messages: {
      malformedBody: (detail) => `invalid JSON body: ${detail}`,
      notFound: () => 'not found',
      methodNotAllowed: (ctx) => `method ${ctx.method} is not allowed on ${ctx.path}`,
      internal: 'Internal Server Error',
      unavailable: 'Service Unavailable',
    },
  };
}
