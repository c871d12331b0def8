/** `/v1/resources`: the resource registry (docs/compatibility.md §8.1). */
import type Router from '@koa/router';
import type { AppContext } from '../../app-context.js';
import { principal } from '../../auth/authenticate.js';
import { badRequest, notFound } from '../../errors.js';
import type { RegisteredResource } from '../../store/resource-store.js';
import { InvalidCursorError } from '../../store/cursor.js';
import { parseWith } from '../shared/validation.js';
import { resourceBodySchema, resourceListQuerySchema } from './schemas.js';

const FORBIDDEN = 'You are not authorized to perform the requested action on the resource registry.';

export function registryRoutes(router: Router, app: AppContext): void {
  const { registry, authorizer } = app.services;

  router.put('/resources/:type/:id', async (ctx) => {
    authorizer.require(principal(ctx), 'registry:write', FORBIDDEN, { type: ctx.params.type });
    const body = parseWith(resourceBodySchema, ctx.request.body ?? {});
    const { resource, created } = await registry.put(ctx.params.type!, ctx.params.id!, {
      projectId: body.project_id ?? null,
      domainId: body.domain_id ?? null,
      owner: body.owner ?? null,
      group: body.group ?? null,
      status: body.status ?? null,
      attributes: body.attributes ?? {},
    });
    ctx.status = created ? 201 : 200;
    ctx.body = { resource: render(resource) };
  });

  router.get('/resources/:type/:id', async (ctx) => {
    authorizer.require(principal(ctx), 'registry:read', FORBIDDEN, { type: ctx.params.type });
    const resource = await registry.get(ctx.params.type!, ctx.params.id!);
    if (!resource) throw notFound(`Resource ${ctx.params.type}/${ctx.params.id} is not registered.`);
    ctx.body = { resource: render(resource) };
  });

  router.delete('/resources/:type/:id', async (ctx) => {
    authorizer.require(principal(ctx), 'registry:write', FORBIDDEN, { type: ctx.params.type });
    if (!(await registry.delete(ctx.params.type!, ctx.params.id!))) {
      throw notFound(`Resource ${ctx.params.type}/${ctx.params.id} is not registered.`);
    }
    ctx.status = 204;
  });

  router.get('/resources', async (ctx) => {
    authorizer.require(principal(ctx), 'registry:read', FORBIDDEN);
    const q = parseWith(resourceListQuerySchema, ctx.query);
    try {
      const page = await registry.list(
        {
          ...(q.type ? { type: q.type } : {}),
          ...(q.project_id ? { projectId: q.project_id } : {}),
          ...(q.domain_id ? { domainId: q.domain_id } : {}),
          ...(q.owner ? { owner: q.owner } : {}),
          ...(q.group ? { group: q.group } : {}),
        },
        { limit: q.limit, ...(q.page_token ? { after: q.page_token } : {}) },
      );
      ctx.body = { resources: page.items.map(render), next_page_token: page.next ?? null };
    } catch (err) {
      if (err instanceof InvalidCursorError) throw badRequest('page_token is not valid');
      throw err;
    }
  });
}

export function render(r: RegisteredResource) {
  return {
    type: r.type,
    id: r.id,
    project_id: r.projectId,
    domain_id: r.domainId,
    owner: r.owner,
    group: r.group,
    status: r.status,
    attributes: r.attributes,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}
