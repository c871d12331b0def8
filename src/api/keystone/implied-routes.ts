/**
 * Implied roles (docs/compatibility.md §1.6): `/v3/roles/{prior}/implies[/{implied}]` and `/v3/role_inferences`.
 * HEAD on a rule answers 204 while GET answers 200 with the body, as upstream does.
 */
import type Router from '@koa/router';
import { principal } from '../../auth/authenticate.js';
import type { KeystoneEnv } from './env.js';
import type { Links } from './links.js';
import { roleRef } from './serializers.js';
import type { RuleView } from '../../domain/identity/inference-service.js';

export function impliedRoutes(router: Router, env: KeystoneEnv): void {
  const { inferences } = env.identity;
  const rule = '/roles/:prior_id/implies/:implied_id';

  router.get('/roles/:prior_id/implies', async (ctx) => {
    const { prior, implies } = await inferences.listFor(principal(ctx), ctx.params.prior_id!);
    const links = env.links(ctx);
    ctx.body = {
      role_inference: { prior_role: roleRef(prior, links), implies: implies.map((r) => roleRef(r, links)) },
      links: { self: links.to(`/roles/${prior.id}/implies`) },
    };
  });

  router.put(rule, async (ctx) => {
    const view = await inferences.create(principal(ctx), ctx.params.prior_id!, ctx.params.implied_id!);
    ctx.status = 201;
    ctx.body = ruleJson(view, env.links(ctx));
  });

  // Registered before GET so that HEAD is answered here (GET routes also match HEAD).
  router.head(rule, async (ctx) => {
    await inferences.get(principal(ctx), ctx.params.prior_id!, ctx.params.implied_id!, true);
    ctx.status = 204;
  });

  router.get(rule, async (ctx) => {
    const view = await inferences.get(principal(ctx), ctx.params.prior_id!, ctx.params.implied_id!);
    ctx.body = ruleJson(view, env.links(ctx));
  });

  router.delete(rule, async (ctx) => {
    await inferences.delete(principal(ctx), ctx.params.prior_id!, ctx.params.implied_id!);
    ctx.status = 204;
  });

  // K-2: prior and implied objects hold only id, name, links; no top-level links.
  router.get('/role_inferences', async (ctx) => {
    const links = env.links(ctx);
    const all = await inferences.listAll(principal(ctx));
    ctx.body = {
      role_inferences: all.map(({ prior, implies }) => ({
        prior_role: roleRef(prior, links),
        implies: implies.map((r) => roleRef(r, links)),
      })),
    };
  });
}

function ruleJson({ prior, implied }: RuleView, links: Links) {
  return {
    role_inference: { prior_role: roleRef(prior, links), implies: roleRef(implied, links) },
    links: { self: links.to(`/roles/${prior.id}/implies/${implied.id}`) },
  };
}
