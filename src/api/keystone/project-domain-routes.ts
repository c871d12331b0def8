/** Projects (a tree through `parent_id`) and domains (docs/compatibility.md §8.1), in Keystone v3 shapes. */
import type Router from '@koa/router';
import { principal } from '../../auth/authenticate.js';
import { parseWith } from '../shared/validation.js';
import { defined, queryBoolean, queryList, queryValue, type KeystoneEnv } from './env.js';
import { domainCreateBody, domainUpdateBody, projectCreateBody, projectTagsBody, projectUpdateBody } from './schemas.js';
import { collection, domainJson, projectJson } from './serializers.js';

export function projectDomainRoutes(router: Router, env: KeystoneEnv): void {
  const svc = env.identity.projects;

  router.get('/projects', async (ctx) => {
    const links = env.links(ctx);
    const tags = defined({
      all: queryList(ctx, 'tags'),
      any: queryList(ctx, 'tags-any'),
      notAll: queryList(ctx, 'not-tags'),
      notAny: queryList(ctx, 'not-tags-any'),
    });
    const filter = defined({
      name: queryValue(ctx, 'name'),
      domainId: queryValue(ctx, 'domain_id'),
      parentId: queryValue(ctx, 'parent_id'),
      enabled: queryBoolean(ctx, 'enabled'),
      isDomain: queryBoolean(ctx, 'is_domain'),
      ...(Object.keys(tags).length ? { tags } : {}),
    });
    const projects = await svc.listProjects(principal(ctx), filter);
    ctx.body = collection('projects', projects.map((p) => projectJson(p, links)), links);
  });
  router.post('/projects', async (ctx) => {
    const { project: p } = parseWith(projectCreateBody, ctx.request.body);
    const project = await svc.createProject(principal(ctx), {
      name: p.name,
      ...defined({
        domainId: p.domain_id ?? undefined,
        parentId: p.parent_id,
        description: p.description ?? undefined,
        enabled: p.enabled,
        tags: p.tags,
        isDomain: p.is_domain,
      }),
    });
    ctx.status = 201;
    ctx.body = { project: projectJson(project, env.links(ctx)) };
  });
  router.get('/projects/:project_id', async (ctx) => {
    const project = await svc.getProject(principal(ctx), ctx.params.project_id!);
    ctx.body = { project: projectJson(project, env.links(ctx)) };
  });
  router.patch('/projects/:project_id', async (ctx) => {
    const { project: p } = parseWith(projectUpdateBody, ctx.request.body);
    const change = defined({
      name: p.name,
      description: p.description ?? undefined,
      enabled: p.enabled,
      domainId: p.domain_id,
      parentId: p.parent_id,
      tags: p.tags,
    });
    const project = await svc.updateProject(principal(ctx), ctx.params.project_id!, change);
    ctx.body = { project: projectJson(project, env.links(ctx)) };
  });
  router.delete('/projects/:project_id', async (ctx) => {
    await svc.deleteProject(principal(ctx), ctx.params.project_id!);
    ctx.status = 204;
  });

  projectTagRoutes(router, env);

  router.get('/domains', async (ctx) => {
    const links = env.links(ctx);
    const filter = defined({ name: queryValue(ctx, 'name'), enabled: queryBoolean(ctx, 'enabled') });
    const domains = await svc.listDomains(principal(ctx), filter);
    ctx.body = collection('domains', domains.map((d) => domainJson(d, links)), links);
  });
  router.post('/domains', async (ctx) => {
    const { domain: d } = parseWith(domainCreateBody, ctx.request.body);
    const domain = await svc.createDomain(principal(ctx), {
      name: d.name,
      ...defined({ description: d.description ?? undefined, enabled: d.enabled }),
    });
    ctx.status = 201;
    ctx.body = { domain: domainJson(domain, env.links(ctx)) };
  });
  router.get('/domains/:domain_id', async (ctx) => {
    ctx.body = { domain: domainJson(await svc.getDomain(principal(ctx), ctx.params.domain_id!), env.links(ctx)) };
  });
  router.patch('/domains/:domain_id', async (ctx) => {
    const { domain: d } = parseWith(domainUpdateBody, ctx.request.body);
    const change = defined({ name: d.name, description: d.description ?? undefined, enabled: d.enabled });
    ctx.body = { domain: domainJson(await svc.updateDomain(principal(ctx), ctx.params.domain_id!, change), env.links(ctx)) };
  });
  router.delete('/domains/:domain_id', async (ctx) => {
    await svc.deleteDomain(principal(ctx), ctx.params.domain_id!);
    ctx.status = 204;
  });
}

/** `/v3/projects/{id}/tags` and `/v3/projects/{id}/tags/{tag}` (Keystone's project tags API). */
function projectTagRoutes(router: Router, env: KeystoneEnv): void {
  const tags = env.identity.projectTags;
  const base = '/projects/:project_id/tags';
  router.get(base, async (ctx) => {
    ctx.body = { tags: await tags.list(principal(ctx), ctx.params.project_id!) };
  });
  router.put(base, async (ctx) => {
    const body = parseWith(projectTagsBody, ctx.request.body);
    ctx.body = { tags: await tags.replace(principal(ctx), ctx.params.project_id!, body.tags) };
  });
  router.delete(base, async (ctx) => {
    await tags.clear(principal(ctx), ctx.params.project_id!);
    ctx.status = 204;
  });
  router.put(`${base}/:tag`, async (ctx) => {
    await tags.add(principal(ctx), ctx.params.project_id!, ctx.params.tag!);
    ctx.status = 201;
  });
  router.get(`${base}/:tag`, async (ctx) => {
    await tags.check(principal(ctx), ctx.params.project_id!, ctx.params.tag!);
    ctx.status = 204;
  });
  router.delete(`${base}/:tag`, async (ctx) => {
    await tags.remove(principal(ctx), ctx.params.project_id!, ctx.params.tag!);
    ctx.status = 204;
  });
}
