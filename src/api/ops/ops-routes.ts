/**
 * Operational endpoints, unauthenticated: /healthz (process up), /readyz (store reachable and
 * policy loaded; on MongoDB the replica's lag behind the change log), /metrics (Prometheus), /openapi.json (generated from the request schemas).
 */
import type { Middleware } from 'koa';
import type { AppContext } from '../../app-context.js';
import { baseUrl } from '../shared/base-url.js';

export function createOpsMiddleware(ctx: AppContext): Middleware {
  return async (koaCtx, next) => {
    if (koaCtx.method !== 'GET' && koaCtx.method !== 'HEAD') return next();
    switch (koaCtx.path) {
      case '/': {
        // An index for people poking at the port: where each API lives.
        const base = baseUrl(koaCtx, ctx.config);
        koaCtx.body = {
          name: 'portcullis',
          apis: {
            authzen: `${base}/.well-known/authzen-configuration`,
            registry: `${base}/v1/resources`,
            policy: `${base}/v1/policy`,
            keystone: `${base}/identity/v3`,
            manila: `${base}/share/v2`,
            trafficops: `${base}/api/4.0/cdn_locks`,
            route_locks: `${base}/admin/lock`,
            manageiq: `${base}/api`,
          },
          ops: { health: `${base}/healthz`, ready: `${base}/readyz`, metrics: `${base}/metrics`, openapi: `${base}/openapi.json` },
        };
        return;
      }
      case '/healthz':
        koaCtx.body = { status: 'ok' };
        return;
      case '/readyz': {
        const storeReady = await ctx.stores.isReady().catch(() => false);
        const policy = ctx.engine.status();
        const sync = ctx.sync?.status();
        const ready = storeReady && ctx.engine.ready;
        koaCtx.status = ready ? 200 : 503;
        koaCtx.body = {
          status: ready ? 'ready' : 'not ready',
          store: { kind: ctx.stores.kind, reachable: storeReady },
          policy: { loaded: ctx.engine.ready, version: policy.version, lastError: policy.lastError },
          // Replica sync (MongoDB): how far behind the change log this replica may be (lagMs), and
          // whether it still serves decisions while the database is away.
          ...(sync ? { sync } : {}),
        };
        return;
      }
      case '/metrics':
        koaCtx.type = ctx.metrics.registry.contentType;
        koaCtx.body = await ctx.metrics.registry.metrics();
        return;
      case '/openapi.json':
        koaCtx.body = ctx.docs.document('0.1.0');
        return;
      default:
        return next();
    }
  };
}
