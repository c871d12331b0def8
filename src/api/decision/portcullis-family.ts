/**
 * Portcullis' own APIs: the AuthZEN decision API (`/access/v1`, `/.well-known`), the resource
 * registry and policy management (`/v1`). Credentials: `Authorization: Bearer` or `X-Auth-Token`.
 */
import type { AppContext } from '../../app-context.js';
import { authenticate } from '../../auth/authenticate.js';
import type { ApiFamily } from '../shared/family.js';
import { authzenRoutes, wellKnownRoutes } from './authzen-routes.js';
import { callerRoutes } from './caller-routes.js';
import { lockRoutes } from './lock-routes.js';
import { backupRoutes } from './backup-routes.js';
import { decisionRoutes } from './decision-routes.js';
import { portcullisEnvelope } from './envelope.js';
import { documentPortcullis } from './portcullis-docs.js';
import { policyFileRoutes } from './policy-file-routes.js';
import { impactRoutes, policyRoutes } from './policy-routes.js';
import { registryRoutes } from './registry-routes.js';

export function createPortcullisFamily(app: AppContext): ApiFamily {
  const auth = authenticate(app.authenticator, {
    carriers: ['bearer', 'x-auth-token'],
    message: 'The request you have made requires authentication.',
  });
  documentPortcullis(app.docs);
  return {
    name: 'portcullis',
    prefixes: ['/access/v1', '/v1', '/.well-known'],
    envelope: portcullisEnvelope,
    routes(router, prefix) {
      if (prefix === '/.well-known') return wellKnownRoutes(router, app);
      router.use(auth);
      if (prefix === '/access/v1') authzenRoutes(router, app);
      else {
        registryRoutes(router, app);
        policyRoutes(router, app);
        callerRoutes(router, app);
        lockRoutes(router, app);
        impactRoutes(router, app);
        policyFileRoutes(router, app);
        decisionRoutes(router, app);
        backupRoutes(router, app);
      }
    },
  };
}
