/** `/v1/policy`: status of the policy in force, forced reload, and rules stored at run time. */
import type Router from '@koa/router';
import type { AppContext } from '../../app-context.js';
import { principal } from '../../auth/authenticate.js';
import { parseWith } from '../shared/validation.js';
import type { Decision } from '../../engine/engine.js';
import { decidedAt, requestOf } from '../../store/decision-log-store.js';
import { impactBodySchema, ruleBodySchema } from './schemas.js';

const FORBIDDEN = 'You are not authorized to manage policy.';

export function policyRoutes(router: Router, app: AppContext): void {
  const { policy, authorizer } = app.services;

  router.get('/policy', (ctx) => {
    authorizer.require(principal(ctx), 'policy:read', FORBIDDEN);
    const shadow = policy.shadowStatus();
    ctx.body = {
      policy: policy.status(),
      ...(shadow ? { shadow } : {}),
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

const answer = (d: Decision) => ({ decision: d.allowed ? 'allow' : 'deny', reason: d.reason, policy: d.policy ?? null });

/** `POST /v1/policy/impact`: what a draft would change, replayed over the decision log (needs decisions:replay). */
export function impactRoutes(router: Router, app: AppContext): void {
  const { authorizer, impact } = app.services;
  router.post('/policy/impact', async (ctx) => {
    authorizer.require(principal(ctx), 'decisions:replay', 'You are not authorized to replay decisions.');
    const body = parseWith(impactBodySchema, ctx.request.body);
    const result = await impact.impact(body.files);
    ctx.body = {
      replayed: result.replayed,
      changed: result.changed.map(({ record: r, before, after }) => {
        const request = requestOf(r);
        return {
          decision_id: r.id,
          at: new Date(decidedAt(r)).toISOString(),
          kind: r.kind,
          subject: request.subject,
          action: request.action,
          resource: request.resource,
          before: answer(before),
          after: answer(after),
        };
      }),
      draft: result.draft,
    };
  });
}
