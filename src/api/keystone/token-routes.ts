/**
 * `/v3/auth/tokens` (docs/compatibility.md §1.10): POST logs in (no credential needed, 201 with
 * `X-Subject-Token`); GET/HEAD validate and DELETE revokes the token in `X-Subject-Token`, for a
 * caller authenticated as usual. `?nocatalog` leaves the catalog out.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { principal } from '../../auth/authenticate.js';
import type { TokenAuthService } from '../../domain/identity/token-auth-service.js';
import { requestLog } from '../shared/request-log.js';
import { parseWith } from '../shared/validation.js';
import { serviceCatalog } from './catalog.js';
import { originOf } from './links.js';
import { tokenJson } from './token-json.js';
import { authTokensBody, toAuthRequest } from './token-schemas.js';

export interface TokenRouteEnv {
  readonly auth: TokenAuthService;
  readonly publicUrl: string | undefined;
  readonly region: string;
}

function respond(ctx: Context, env: TokenRouteEnv, view: Awaited<ReturnType<TokenAuthService['view']>>) {
  const catalog = 'nocatalog' in ctx.query ? undefined : serviceCatalog(originOf(ctx, env.publicUrl), env.region);
  ctx.set('X-Subject-Token', view.token.id);
  ctx.body = tokenJson(view, catalog);
}

/** Registered before the family's authentication: logging in needs no credential. */
export function loginRoutes(router: Router, env: TokenRouteEnv): void {
  router.post('/auth/tokens', async (ctx) => {
    const request = toAuthRequest(parseWith(authTokensBody, ctx.request.body));
    const view = await env.auth.authenticate(request, { source: ctx.ip, log: requestLog(ctx) });
    respond(ctx, env, view);
    ctx.status = 201;
  });
}

export function tokenRoutes(router: Router, env: TokenRouteEnv): void {
  router.get('/auth/tokens', async (ctx) => {
    const verb = ctx.method === 'HEAD' ? 'check' : 'validate';
    respond(ctx, env, await env.auth.validateSubject(principal(ctx), ctx.get('X-Subject-Token') || undefined, verb));
  });
  router.delete('/auth/tokens', async (ctx) => {
    const cascade = ctx.query.cascade === undefined || !/^(false|0|no|off|n|f)$/i.test(String(ctx.query.cascade));
    await env.auth.revokeSubject(principal(ctx), ctx.get('X-Subject-Token') || undefined, cascade);
    ctx.status = 204;
  });
}
