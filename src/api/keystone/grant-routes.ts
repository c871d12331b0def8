/**
 * Grants (docs/compatibility.md §1.4, §1.5): `/v3/{projects|domains}/{id}/{users|groups}/{id}/roles[/{role_id}]`,
 * `/v3/system/{users|groups}/{id}/roles[/{role_id}]` and the OS-INHERIT variants
 * `/v3/OS-INHERIT/{domains|projects}/{id}/{users|groups}/{id}/roles[/{role_id}]/inherited_to_projects`.
 * PUT, HEAD/GET check and DELETE answer 204; lists answer 200 (HEAD too, without a body).
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { principal } from '../../auth/authenticate.js';
import type { GrantActor, GrantTarget } from '../../domain/identity/grant-service.js';
import type { KeystoneEnv } from './env.js';
import { collection, roleJson } from './serializers.js';

const TARGETS = { projects: 'project', domains: 'domain' } as const;
const ACTORS = { users: 'user', groups: 'group' } as const;

export function grantRoutes(router: Router, env: KeystoneEnv): void {
  for (const [actorSeg, actorType] of Object.entries(ACTORS)) {
    const actorOf = (ctx: Context): GrantActor => ({ actorType, actorId: ctx.params.actor_id! });
    for (const [targetSeg, targetType] of Object.entries(TARGETS)) {
      const targetOf = (inherited: boolean) => (ctx: Context): GrantTarget => ({
        targetType,
        targetId: ctx.params.target_id!,
        inherited,
      });
      const base = `/${targetSeg}/:target_id/${actorSeg}/:actor_id/roles`;
      grantSet(router, env, base, '', actorOf, targetOf(false));
      grantSet(router, env, `/OS-INHERIT${base}`, '/inherited_to_projects', actorOf, targetOf(true));
    }
    const system = (): GrantTarget => ({ targetType: 'system', targetId: 'system', inherited: false });
    grantSet(router, env, `/system/${actorSeg}/:actor_id/roles`, '', actorOf, system);
  }
}

/** The list route `<base><suffix>` and the four single-grant routes `<base>/{role_id}<suffix>`. */
function grantSet(
  router: Router,
  env: KeystoneEnv,
  base: string,
  suffix: string,
  actorOf: (ctx: Context) => GrantActor,
  targetOf: (ctx: Context) => GrantTarget,
): void {
  const { grants } = env.identity;
  const one = `${base}/:role_id${suffix}`;

  router.get(`${base}${suffix}`, async (ctx) => {
    const roles = await grants.list(principal(ctx), actorOf(ctx), targetOf(ctx));
    const links = env.links(ctx);
    ctx.body = collection('roles', roles.map((r) => roleJson(r, links)), links);
  });

  router.put(one, async (ctx) => {
    await grants.put(principal(ctx), actorOf(ctx), targetOf(ctx), ctx.params.role_id!);
    ctx.status = 204;
  });

  // GET and HEAD both check, and both answer 204 (docs/compatibility.md §7 K-11).
  router.get(one, async (ctx) => {
    await grants.check(principal(ctx), actorOf(ctx), targetOf(ctx), ctx.params.role_id!);
    ctx.status = 204;
  });

  router.delete(one, async (ctx) => {
    await grants.revoke(principal(ctx), actorOf(ctx), targetOf(ctx), ctx.params.role_id!);
    ctx.status = 204;
  });
}
