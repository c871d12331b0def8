/** `/v1/policy`: status of the policy in force, forced reload, and rules stored at run time. */
import type Router from '@koa/router';
import type { AppContext } from '../../app-context.js';
import { principal } from '../../auth/authenticate.js';
import { parseWith } from '../shared/validation.js';
import { ruleBodySchema } from './schemas.js';

const FORBIDDEN = 'You are not authorized to manage policy.';

export function policyRoutes(router: Router, app: AppContext): void {
  const { policy, authorizer } = app.services;

  router.get('/policy', (ctx) => {
    authorizer.require(principal(ctx), 'policy:read', FORBIDDEN);
    ctx.body = {
      policy: policy.status(),
      rules: policy.rules().map((r) => ({ ptype: r.ptype, values: r.values, source: r.source })),
    };
  });

  router.post('/policy/reload', async (ctx) => {
    authorizer.require(principal(ctx), 'policy:write', FORBIDDEN);
    ctx.body = { policy: await policy.reload() };
  });

  router.post('/policy/rules', async (ctx) => {
    authorizer.require(principal(ctx), 'policy:write', FORBIDDEN);
    const body = parseWith(ruleBodySchema, ctx.request.body);
    ctx.status = 201;
    ctx.body = { policy: await policy.addRule(body.ptype, body.values) };
  });

  router.delete('/policy/rules', async (ctx) => {
    authorizer.require(principal(ctx), 'policy:write', FORBIDDEN);
    const body = parseWith(ruleBodySchema, ctx.request.body);
    ctx.body = { policy: await policy.removeRule(body.ptype, body.values) };
  });
}
