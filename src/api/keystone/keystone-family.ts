/**
 * The Keystone family (OpenStack Identity v3 subset, docs/compatibility.md §1 and §8.1): roles, grants, implied
 * roles, role assignments and the directory they need. Served under `/v3` and, devstack-style,
 * under `/identity/v3` (the documented endpoint); `/identity` answers the root versions document.
 * Credentials: `X-Auth-Token` or `Authorization: Bearer`. Errors in Keystone's envelope.
 */
import type { AppContext } from '../../app-context.js';
import { authenticate } from '../../auth/authenticate.js';
import { createIdentityServices } from '../../domain/identity/identity-services.js';
import { expecting } from '../../domain/identity/messages.js';
import type { ApiFamily } from '../shared/family.js';
import { assignmentRoutes } from './assignment-routes.js';
import { keystoneEnvelope } from './envelope.js';
import { documentKeystone } from './keystone-docs.js';
import { createEnv } from './env.js';
import { grantRoutes } from './grant-routes.js';
import { impliedRoutes } from './implied-routes.js';
import { projectDomainRoutes } from './project-domain-routes.js';
import { roleRoutes } from './role-routes.js';
import { loginRoutes, tokenRoutes } from './token-routes.js';
import { passwordRoutes, userGroupRoutes } from './user-group-routes.js';
import { rootVersionRoutes, versionRoutes } from './version-routes.js';

export const KEYSTONE_UNAUTHORIZED = 'The request you have made requires authentication.';

export function createKeystoneFamily(app: AppContext): ApiFamily {
  const publicUrl = app.config.publicUrl;
  const identity = createIdentityServices({
    stores: app.stores,
    graph: app.graph,
    authorizer: app.services.authorizer,
    passwords: app.services.passwords,
    tokens: app.services.tokens,
  });
  const tokenEnv = { auth: identity.auth, publicUrl, region: app.config.tokens.region };
  const env = createEnv(identity, publicUrl);
  documentKeystone(app.docs);
  const auth = authenticate(app.authenticator, { carriers: ['x-auth-token', 'bearer'], message: KEYSTONE_UNAUTHORIZED });
  return {
    name: 'keystone',
    prefixes: ['/v3', '/identity/v3', '/identity'],
    envelope: keystoneEnvelope(publicUrl),
    routes(router, prefix) {
      if (prefix === '/identity') return rootVersionRoutes(router, publicUrl);
      versionRoutes(router, publicUrl);
      passwordRoutes(router, env);
      loginRoutes(router, tokenEnv);
      router.use(auth);
      tokenRoutes(router, tokenEnv);
      roleRoutes(router, env);
      impliedRoutes(router, env);
      grantRoutes(router, env);
      assignmentRoutes(router, env);
      userGroupRoutes(router, env);
      projectDomainRoutes(router, env);
    },
    messages: {
      malformedBody: () => expecting('valid JSON', 'request body'),
      tooLarge: 'Request is too large.',
      notFound: () => 'The resource could not be found.',
      methodNotAllowed: (ctx) => `The method ${ctx.method} is not allowed for the requested URL.`,
      internal: 'An unexpected error prevented the server from fulfilling your request.',
      unavailable: 'The service is temporarily unavailable.',
    },
  };
}
