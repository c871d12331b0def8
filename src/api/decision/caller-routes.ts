/** `GET /v1/me`: who the credential is, its scope and roles, and the permissions it holds there. */
import type Router from '@koa/router';
import type { AppContext } from '../../app-context.js';
import { principal } from '../../auth/authenticate.js';
import { parseWith } from '../shared/validation.js';
import { meQuerySchema } from './schemas.js';

export function callerRoutes(router: Router, app: AppContext): void {
  router.get('/me', async (ctx) => {
    const { permission } = parseWith(meQuerySchema, ctx.query);
    const asked = permission === undefined ? [] : Array.isArray(permission) ? permission : [permission];
    ctx.body = await app.services.callerProfile.describe(principal(ctx), [...new Set(asked)]);
  });
}
