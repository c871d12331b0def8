/** `/v3/roles` and `/v3/roles/{role_id}` (docs/compatibility.md §1.3). */
import type Router from '@koa/router';
import { principal } from '../../auth/authenticate.js';
import type { RoleInput, RolePatch } from '../../domain/identity/role-service.js';
import { parseWith } from '../shared/validation.js';
import { extraAttributes, queryValue, type KeystoneEnv } from './env.js';
import { collection, roleJson } from './serializers.js';
import { ROLE_FIELDS, roleCreateBody, roleUpdateBody } from './schemas.js';

export function roleRoutes(router: Router, env: KeystoneEnv): void {
  const { roles } = env.identity;

  router.get('/roles', async (ctx) => {
    const name = queryValue(ctx, 'name');
    const domainId = queryValue(ctx, 'domain_id');
    const list = await roles.list(principal(ctx), {
      ...(name !== undefined ? { name } : {}),
      ...(domainId !== undefined ? { domainId } : {}),
    });
    const links = env.links(ctx);
    ctx.body = collection('roles', list.map((r) => roleJson(r, links)), links);
  });

  router.post('/roles', async (ctx) => {
    const raw = rawRole(ctx.request.body);
    const role = await roles.create(principal(ctx), raw.domain_id, (): RoleInput => {
      const { role: r } = parseWith(roleCreateBody, ctx.request.body);
      return {
        name: r.name,
        description: r.description ?? null,
        domainId: r.domain_id ?? null,
        ...(r.options ? { options: r.options } : {}),
        extra: extraOf(r),
      };
    });
    ctx.status = 201;
    ctx.body = { role: roleJson(role, env.links(ctx)) };
  });

  router.get('/roles/:role_id', async (ctx) => {
    const role = await roles.get(principal(ctx), ctx.params.role_id!);
    ctx.body = { role: roleJson(role, env.links(ctx)) };
  });

  router.patch('/roles/:role_id', async (ctx) => {
    const role = await roles.update(principal(ctx), ctx.params.role_id!, (): RolePatch => {
      const { role: r } = parseWith(roleUpdateBody, ctx.request.body);
      return {
        ...(r.id !== undefined ? { id: r.id } : {}),
        ...(r.name !== undefined ? { name: r.name } : {}),
        ...('description' in r ? { description: r.description ?? null } : {}),
        ...('domain_id' in r ? { domainId: r.domain_id ?? null } : {}),
        ...(r.options !== undefined ? { options: r.options } : {}),
        extra: extraOf(r),
        keys: Object.keys(r),
      };
    });
    ctx.body = { role: roleJson(role, env.links(ctx)) };
  });

  router.delete('/roles/:role_id', async (ctx) => {
    await roles.delete(principal(ctx), ctx.params.role_id!);
    ctx.status = 204;
  });
}

function rawRole(body: unknown): Record<string, unknown> {
  const role = (body as { role?: unknown } | null)?.role;
  return role && typeof role === 'object' ? (role as Record<string, unknown>) : {};
}

const extraOf = (role: Record<string, unknown>) => extraAttributes(role, ROLE_FIELDS);
