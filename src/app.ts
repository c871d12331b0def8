/**
 * The Koa application: request ids and logging, operational endpoints (no auth), then every API
 * family mounted at its prefixes, longest prefix first so `/api/4.0` wins over `/api`.
 */
import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import type { AppContext } from './app-context.js';
import { createFamilies } from './api/families.js';
import { createOpsMiddleware } from './api/ops/ops-routes.js';
import { mountFamily, type ApiFamily } from './api/shared/family.js';

export function createApp(ctx: AppContext, extraFamilies: readonly ApiFamily[] = []): Koa {
  const app = new Koa();
  app.proxy = false;
  app.silent = true; // errors are logged by the family error mappers
  app.use(async (koaCtx, next) => {
    const requestId = koaCtx.get('X-Request-Id') || randomUUID();
    koaCtx.state.requestId = requestId;
    koaCtx.state.log = ctx.log.child({ requestId });
    koaCtx.set('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      // Stopping: this response ends its keep-alive connection (see src/http-server.ts).
      if (ctx.lifecycle.draining) koaCtx.set('Connection', 'close');
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const family = (koaCtx.state.family as string | undefined) ?? 'none';
      ctx.metrics.httpRequests.inc({ family, status: String(koaCtx.status) });
      koaCtx.state.log.debug({ method: koaCtx.method, path: koaCtx.path, status: koaCtx.status, ms }, 'request');
    }
  });
  app.use(createOpsMiddleware(ctx));
  const mounts = [...createFamilies(ctx), ...extraFamilies]
    .flatMap((family) => family.prefixes.map((prefix) => ({ family, prefix })))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  for (const { family, prefix } of mounts) app.use(mountFamily(family, prefix, ctx.log));
  app.use(async (koaCtx) => {
    koaCtx.status = 404;
    koaCtx.body = { error: { code: 404, message: `No API is served at ${koaCtx.path}` } };
  });
  return app;
}
