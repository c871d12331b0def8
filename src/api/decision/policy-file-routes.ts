/**
 * `/v1/policy/files`: the policy files in force as text (policy:read); `/v1/policy/check`: would a
 * draft load (policy:read); applying a new text of one file (policy:write): checked like a reload,
 * written, reloaded at once (domain/policy-file-service.ts).
 */
import type Router from '@koa/router';
import type { AppContext } from '../../app-context.js';
import { principal } from '../../auth/authenticate.js';
import { parseWith } from '../shared/validation.js';
import { impactBodySchema, policyFileBodySchema } from './schemas.js';

const FORBIDDEN = 'You are not authorized to manage policy.';

export function policyFileRoutes(router: Router, app: AppContext): void {
  const { policyFiles, authorizer } = app.services;

  router.get('/policy/files', async (ctx) => {
    authorizer.require(principal(ctx), 'policy:read', FORBIDDEN);
    ctx.body = { files: await policyFiles.list() };
  });

  router.get('/policy/files/:name', async (ctx) => {
    authorizer.require(principal(ctx), 'policy:read', FORBIDDEN);
    ctx.body = { file: await policyFiles.get(ctx.params.name!) };
  });

  // A check's outcome is data (200 either way), like `portcullis policy check`; impact and apply refuse with 400.
  router.post('/policy/check', async (ctx) => {
    authorizer.require(principal(ctx), 'policy:read', FORBIDDEN);
    ctx.body = await policyFiles.check(parseWith(impactBodySchema, ctx.request.body).files);
  });

  router.put('/policy/files/:name', async (ctx) => {
    authorizer.require(principal(ctx), 'policy:write', FORBIDDEN);
    const body = parseWith(policyFileBodySchema, ctx.request.body);
    const applied = await policyFiles.apply(ctx.params.name!, body.content, body.sha256);
    ctx.status = applied.file.created ? 201 : 200;
    ctx.body = applied;
  });
}
