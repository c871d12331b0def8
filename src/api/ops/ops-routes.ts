/**
 * Operational endpoints, unauthenticated: /healthz (process up), /readyz (store reachable,
 * policy loaded, not shutting down; on MongoDB the replica's lag behind the change log), /metrics (Prometheus), /openapi.json (generated from the request schemas).
 */
import type { Middleware } from 'koa';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { baseUrl } from '../shared/base-url.js';
import type { ApiDocs } from '../shared/openapi.js';

/** The paths this middleware answers (GET and HEAD). */
export const OPS_PATHS = ['/', '/healthz', '/readyz', '/metrics', '/openapi.json'] as const;

export const isOpsPath = (path: string): boolean => (OPS_PATHS as readonly string[]).includes(path);

export function createOpsMiddleware(ctx: AppContext): Middleware {
  documentOps(ctx.docs);
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
          console: `${base}/console/`,
          ops: { health: `${base}/healthz`, ready: `${base}/readyz`, metrics: `${base}/metrics`, openapi: `${base}/openapi.json` },
        };
        return;
      }
      case '/healthz':
        koaCtx.body = { status: 'ok' };
        return;
      case '/readyz': {
        const draining = ctx.lifecycle.draining;
        const storeReady = await ctx.stores.isReady().catch(() => false);
        const policy = ctx.engine.status();
        const sync = ctx.sync?.status();
        const ready = !draining && storeReady && ctx.engine.ready;
        koaCtx.status = ready ? 200 : 503;
        koaCtx.body = {
          status: draining ? 'shutting down' : ready ? 'ready' : 'not ready',
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
        koaCtx.body = await ctx.docs.document('0.1.0', baseUrl(koaCtx, ctx.config));
        return;
      default:
        return next();
    }
  };
}

const notReady = z.object({ status: z.string() }).loose().meta({ id: 'OpsStatus' });

function documentOps(docs: ApiDocs): void {
  const tag = 'Operations';
  docs.family({ tag, security: [], error: notReady, description: 'Health, readiness, metrics and this document; no credential.' });
  const ok = (description: string) => ({ 200: { description } });
  docs.add({ method: 'get', path: '/', tag, public: true, summary: 'Where each API lives', responses: ok('Links to every API family') });
  docs.add({ method: 'get', path: '/healthz', tag, public: true, summary: 'Liveness', responses: ok('The process is up') });
  docs.add({
    method: 'get',
    path: '/readyz',
    tag,
    public: true,
    summary: 'Readiness: store reachable, policy loaded, not shutting down',
    responses: { ...ok('Ready'), 503: { description: 'Not ready (or shutting down)' } },
  });
  docs.add({
    method: 'get',
    path: '/metrics',
    tag,
    public: true,
    summary: 'Prometheus metrics',
    responses: { 200: { description: 'Text exposition format', schema: z.string(), mediaType: 'text/plain' } },
  });
  docs.add({ method: 'get', path: '/openapi.json', tag, public: true, summary: 'This OpenAPI document', responses: ok('OpenAPI 3.1') });
}
