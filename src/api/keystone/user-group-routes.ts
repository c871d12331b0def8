/**
 * Users, groups and membership (docs/compatibility.md §8.1): `/v3/users`, `/v3/groups`,
 * `/v3/groups/{g}/users[/{u}]`, `/v3/users/{u}/groups`, in Keystone v3 shapes.
 */
import type Router from '@koa/router';
import { principal } from '../../auth/authenticate.js';
import { requestLog } from '../shared/request-log.js';
import { parseWith } from '../shared/validation.js';
import { defined, extraAttributes, queryBoolean, queryValue, type KeystoneEnv } from './env.js';
import { groupCreateBody, groupUpdateBody, passwordChangeBody, USER_FIELDS, userCreateBody, userUpdateBody } from './schemas.js';
import { collection, groupJson, userJson } from './serializers.js';

/** Routes that need no token: a user changes its own password by giving the current one. */
export function passwordRoutes(router: Router, env: KeystoneEnv): void {
  router.post('/users/:user_id/password', async (ctx) => {
    const { user: u } = parseWith(passwordChangeBody, ctx.request.body);
    await env.identity.usersGroups.changeOwnPassword(ctx.params.user_id!, u.original_password, u.password, { source: ctx.ip, log: requestLog(ctx) });
    ctx.status = 204;
  });
}

export function userGroupRoutes(router: Router, env: KeystoneEnv): void {
  const svc = env.identity.usersGroups;
  const filter = (ctx: Parameters<typeof queryValue>[0]) =>
    defined({ name: queryValue(ctx, 'name'), domainId: queryValue(ctx, 'domain_id') });

  router.get('/users', async (ctx) => {
    const links = env.links(ctx);
    const users = await svc.listUsers(principal(ctx), { ...filter(ctx), ...defined({ enabled: queryBoolean(ctx, 'enabled') }) });
    ctx.body = collection('users', users.map((u) => userJson(u, links)), links);
  });
  router.post('/users', async (ctx) => {
    const { user: u } = parseWith(userCreateBody, ctx.request.body);
    const user = await svc.createUser(principal(ctx), {
      name: u.name,
      ...defined({
        domainId: u.domain_id,
        enabled: u.enabled,
        email: u.email,
        description: u.description,
        password: u.password,
        defaultProjectId: u.default_project_id,
      }),
      ...nonEmpty(extraAttributes(u, USER_FIELDS)),
    });
    ctx.status = 201;
    ctx.body = { user: userJson(user, env.links(ctx)) };
  });
  router.get('/users/:user_id', async (ctx) => {
    ctx.body = { user: userJson(await svc.getUser(principal(ctx), ctx.params.user_id!), env.links(ctx)) };
  });
  router.patch('/users/:user_id', async (ctx) => {
    const { user: u } = parseWith(userUpdateBody, ctx.request.body);
    const change = defined({
      name: u.name,
      enabled: u.enabled,
      email: u.email,
      description: u.description,
      password: u.password,
      defaultProjectId: u.default_project_id,
    });
    const patch = { ...change, ...nonEmpty(extraAttributes(u, USER_FIELDS)) };
    ctx.body = { user: userJson(await svc.updateUser(principal(ctx), ctx.params.user_id!, patch), env.links(ctx)) };
  });
  router.delete('/users/:user_id', async (ctx) => {
    await svc.deleteUser(principal(ctx), ctx.params.user_id!);
    ctx.status = 204;
  });
  router.get('/users/:user_id/groups', async (ctx) => {
    const links = env.links(ctx);
    const groups = await svc.groupsForUser(principal(ctx), ctx.params.user_id!);
    ctx.body = collection('groups', groups.map((g) => groupJson(g, links)), links);
  });

  router.get('/groups', async (ctx) => {
    const links = env.links(ctx);
    const groups = await svc.listGroups(principal(ctx), filter(ctx));
    ctx.body = collection('groups', groups.map((g) => groupJson(g, links)), links);
  });
  router.post('/groups', async (ctx) => {
    const { group: g } = parseWith(groupCreateBody, ctx.request.body);
    const group = await svc.createGroup(principal(ctx), {
      name: g.name,
      ...defined({ domainId: g.domain_id, description: g.description ?? undefined }),
    });
    ctx.status = 201;
    ctx.body = { group: groupJson(group, env.links(ctx)) };
  });
  router.get('/groups/:group_id', async (ctx) => {
    ctx.body = { group: groupJson(await svc.getGroup(principal(ctx), ctx.params.group_id!), env.links(ctx)) };
  });
  router.patch('/groups/:group_id', async (ctx) => {
    const { group: g } = parseWith(groupUpdateBody, ctx.request.body);
    const change = defined({ name: g.name, description: g.description ?? undefined });
    ctx.body = { group: groupJson(await svc.updateGroup(principal(ctx), ctx.params.group_id!, change), env.links(ctx)) };
  });
  router.delete('/groups/:group_id', async (ctx) => {
    await svc.deleteGroup(principal(ctx), ctx.params.group_id!);
    ctx.status = 204;
  });

  router.get('/groups/:group_id/users', async (ctx) => {
    const links = env.links(ctx);
    const users = await svc.usersInGroup(principal(ctx), ctx.params.group_id!);
    ctx.body = collection('users', users.map((u) => userJson(u, links)), links);
  });
  const member = '/groups/:group_id/users/:user_id';
  router.put(member, async (ctx) => {
    await svc.membership(principal(ctx), 'add', ctx.params.group_id!, ctx.params.user_id!);
    ctx.status = 204;
  });
  router.get(member, async (ctx) => {
    await svc.membership(principal(ctx), 'check', ctx.params.group_id!, ctx.params.user_id!);
    ctx.status = 204;
  });
  router.delete(member, async (ctx) => {
    await svc.membership(principal(ctx), 'remove', ctx.params.group_id!, ctx.params.user_id!);
    ctx.status = 204;
  });
}

/** `{ extra }` when there are extra attributes, else nothing. */
function nonEmpty(extra: Record<string, unknown>): { extra?: Record<string, unknown> } {
  return Object.keys(extra).length ? { extra } : {};
}
