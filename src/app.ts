/**
 * The Koa application: request ids, the access log and HTTP metrics, operational endpoints (no auth), the admin
 * console's static files (`/console/`), then every API family at its prefixes (one middleware, longest prefix
 * first so `/api/4.0` wins over `/api`: src/api/shared/family.ts mountFamilies).
 */
import Koa, { type Context, type Next } from 'koa';
import type { AppContext } from './app-context.js';
import { createFamilies } from './api/families.js';
import { createConsoleMiddleware } from './api/console/console-static.js';
import { createOpsMiddleware, isOpsPath } from './api/ops/ops-routes.js';
import { mountFamilies, type ApiFamily } from './api/shared/family.js';
import { bindRequestLog, requestLogAt } from './api/shared/request-log.js';
import { LogLevels } from './telemetry/logger.js';
import { newRequestId } from './request-id.js';
import { performance } from 'node:perf_hooks'; // not the global: on Node 20 that is a getter, run at each use

const REQUEST_ID = /^[\w.:@-]{1,128}$/;

export function createApp(ctx: AppContext, extraFamilies: readonly ApiFamily[] = []): Koa {
  const app = new Koa();
  app.proxy = false;
  app.silent = true; // errors are logged by the family error mappers
  const levels = new LogLevels(ctx.log);
  app.use((koaCtx, next) => {
    // The caller's id when it looks like one (it ends up in every log line), else a new one
    // (UUID-shaped, src/request-id.ts: the decision log keeps it as a number).
    const given = koaCtx.get('X-Request-Id');
    const requestId = REQUEST_ID.test(given) ? given : newRequestId();
    koaCtx.state.requestId = requestId;
    bindRequestLog(koaCtx, ctx.log, levels, requestId); // see src/api/shared/request-log.ts
    koaCtx.set('X-Request-Id', requestId);
    return observe(koaCtx, next);
  });
  app.use(createOpsMiddleware(ctx));
  app.use(createConsoleMiddleware(ctx.config.consoleDir));
  app.use(mountFamilies([...createFamilies(ctx), ...extraFamilies], ctx.log));
  app.use(async (koaCtx) => {
    koaCtx.status = 404;
    koaCtx.body = { error: { code: 404, message: `No API is served at ${koaCtx.path}` } };
  });
  return app;

  /** Runs the request; then the access log line (info) and the HTTP metrics. */
  async function observe(koaCtx: Context, next: Next): Promise<void> {
    const started = performance.now(); // a double, where hrtime.bigint() makes BigInts on every request
    try {
      await next();
    } finally {
      // Stopping: this response ends its keep-alive connection (see src/http-server.ts).
      if (ctx.lifecycle.draining) koaCtx.set('Connection', 'close');
      const seconds = (performance.now() - started) / 1e3;
      const family = (koaCtx.state.family as string | undefined) ?? (isOpsPath(koaCtx.path) ? 'ops' : 'none');
      const route = routeOf(koaCtx);
      ctx.metrics.httpRequests.seriesAt(family, koaCtx.status).inc();
      ctx.metrics.httpSeconds.seriesAt(family, koaCtx.method, route).observe(seconds);
      const log = requestLogAt(koaCtx, 'info');
      if (log) {
        log.info(
          { method: koaCtx.method, route, path: koaCtx.path, status: koaCtx.status, ms: Math.round(seconds * 1e6) / 1e3, family },
          'request',
        );
      }
    }
  }
}

/**
 * The route template that answered (`/identity/v3/roles/:role_id`), for metrics labels and logs:
 * the last route layer the family's router matched for this method, the path of an operational
 * endpoint, the one a non-router middleware named (`state.route`, the console's files), or
 * `(unmatched)`.
 */
function routeOf(koaCtx: Context): string {
  if (typeof koaCtx.state.route === 'string') return koaCtx.state.route;
  const layers = (koaCtx as unknown as { matched?: { path: string | RegExp; methods: string[] }[] }).matched ?? [];
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    if (layer.methods.includes(koaCtx.method)) return String(layer.path);
  }
  return isOpsPath(koaCtx.path) ? koaCtx.path : '(unmatched)';
}
