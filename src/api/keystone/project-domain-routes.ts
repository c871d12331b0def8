/** Projects (a tree through `parent_id`) and domains (docs/compatibility.md §8.1), in Keystone v3 shapes. */
import type Router from '@koa/router';
import { principal } from '../../auth/authenticate.js';
import { parseWith } from '../shared/validation.js';
import { defined, queryValue, type KeystoneEnv } from './env.js';
import { domainCreateBody, domainUpdateBody, projectCreateBody, projectUpdateBody } from './schemas.js';
import { collection, domainJson, projectJson } from './serializers.js';

export function projectDomainRoutes(router: Router, env: KeystoneEnv): void {
  const svc = env.identity.projects;

  router.get('/projects', async (ctx) => {
    const links = env.links(ctx);
    const filter = defined({
      name: queryValue(ctx, 'name'),
      domainId: queryValue(ctx, 'domain_id'),
      parentId: queryValue(ctx, 'parent_id'),
    });
    const projects = await svc.listProjects(principal(ctx), filter);
    ctx.body = collection('projects', projects.map((p) => projectJson(p, links)), links);
  });
  router.post('/projects', async (ctx) => {
    const { project: p } = parseWith(projectCreateBody, ctx.request.body);
    const project = await svc.createProject(principal(ctx), {
      name: p.name,
      ...defined({
        domainId: p.domain_id,
        parentId: p.parent_id,
        description: p.description ?? undefined,
        enabled: p.enabled,
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
    });
    const project = await svc.updateProject(principal(ctx), ctx.params.project_id!, change);
    ctx.body = { project: projectJson(project, env.links(ctx)) };
  });
  router.delete('/projects/:project_id', async (ctx) => {
    await svc.deleteProject(principal(ctx), ctx.params.project_id!);
    ctx.status = 204;
  });

  router.get('/domains', async (ctx) => {
    const links = env.links(ctx);
    const domains = await svc.listDomains(principal(ctx), defined({ name: queryValue(ctx, 'name') }));
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
