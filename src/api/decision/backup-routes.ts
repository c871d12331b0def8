/**
 * `GET /v1/export` and `POST /v1/import`: the export document (domain/backup/document.ts) through
 * a running server, on whatever store it runs. Needs `backup:export` / `backup:import` (admins).
 * An import body is at most 1 MiB like every body: `portcullis import --server` sends a large
 * document in several requests.
 */
import type Router from '@koa/router';
import type { AppContext } from '../../app-context.js';
import { principal } from '../../auth/authenticate.js';
import { exportDocumentSchema } from '../../domain/backup/document.js';
import { parseWith } from '../shared/validation.js';

export function backupRoutes(router: Router, app: AppContext): void {
  const { backup, authorizer } = app.services;

  router.get('/export', async (ctx) => {
    authorizer.require(principal(ctx), 'backup:export', 'You are not authorized to export.');
    ctx.body = await backup.export();
  });

  router.post('/import', async (ctx) => {
    authorizer.require(principal(ctx), 'backup:import', 'You are not authorized to import.');
    const doc = parseWith(exportDocumentSchema, ctx.request.body);
    const report = await backup.import(doc);
    ctx.body = { sections: report.sections, conflicts: report.conflicts };
  });
}
