/**
 * The served OpenAPI document and the mounted routes agree: every route a family mounts (at every
 * prefix, aliases included) has an operation, and every operation is answered by a mounted route.
 * Adding a route without documenting it (docs/contributing.md) fails here.
 */
import Router from '@koa/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFamilies } from '../../../src/api/families.js';
import { OPS_PATHS } from '../../../src/api/ops/ops-routes.js';
import { ApiDocs } from '../../../src/api/shared/openapi.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];

interface Mounted {
  readonly family: string;
  readonly path: string;
  /** Methods the layer answers; undefined for `router.all` (the handler picks). */
  readonly methods: string[] | undefined;
}

interface Operation {
  readonly method: string;
  readonly path: string;
}

/** Segments, with every parameter (`:x` or `{x}`) as null; a trailing slash does not count. */
const segments = (path: string) =>
  path
    .replace(/\/+$/, '')
    .split('/')
    .slice(1)
    .map((s) => (/^(:\w+|\{[^}]+\})$/.test(s) ? null : s));

/** A mounted path answers a documented one when each literal segment of the mount matches. */
function answers(mounted: string, documented: string): boolean {
  const m = segments(mounted);
  const d = segments(documented);
  return m.length === d.length && m.every((s, i) => s === null || s === d[i]);
}

describe('OpenAPI document and mounted routes', () => {
  let t: TestApp;
  let mounted: Mounted[];
  let operations: Operation[];

  beforeAll(async () => {
    t = await startTestApp();
    const doc = (await t.request('GET', '/openapi.json', { token: null })).body;
    operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((k) => METHODS.includes(k.toUpperCase()))
        .map((method) => ({ method: method.toUpperCase(), path })),
    );
    // The families as the app mounts them, with a throw-away docs registry.
    const context = { ...t.portcullis.context, docs: new ApiDocs() };
    mounted = createFamilies(context).flatMap((family) =>
      family.prefixes.flatMap((prefix) => {
        const router = new Router(prefix ? { prefix } : {});
        family.routes(router, prefix);
        return router.stack
          .filter((layer) => layer.methods.length > 0)
          .map((layer) => {
            const all = layer.methods.length > METHODS.length;
            const methods = layer.methods.includes('GET') ? layer.methods.filter((m) => m !== 'HEAD') : layer.methods;
            return { family: family.name, path: String(layer.path), methods: all ? undefined : methods.filter((m) => METHODS.includes(m)) };
          });
      }),
    );
  });
  afterAll(() => t.close());

  it('finds routes to check', () => {
    expect(mounted.length).toBeGreaterThan(100);
    expect(operations.length).toBeGreaterThan(100);
  });

  it('documents every mounted route', () => {
    const undocumented = mounted.flatMap((m) =>
      (m.methods ?? ['any method']).filter(
        (method) => !operations.some((o) => (method === 'any method' || o.method === method) && answers(m.path, o.path)),
      ).map((method) => `${m.family}: ${method} ${m.path}`),
    );
    expect(undocumented).toEqual([]);
  });

  it('documents the operational endpoints', () => {
    for (const path of OPS_PATHS) expect(operations).toContainEqual({ method: 'GET', path });
  });

  it('documents nothing that is not served', () => {
    const served = (o: Operation) =>
      (o.method === 'GET' && (OPS_PATHS as readonly string[]).includes(o.path)) ||
      mounted.some((m) => (m.methods === undefined || m.methods.includes(o.method) || (o.method === 'HEAD' && m.methods.includes('GET'))) && answers(m.path, o.path));
    expect(operations.filter((o) => !served(o)).map((o) => `${o.method} ${o.path}`)).toEqual([]);
  });

  it('gives every operation an id, a summary and a security requirement', async () => {
    const doc = (await t.request('GET', '/openapi.json', { token: null })).body;
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [method, op] of Object.entries(item)) {
        if (!METHODS.includes(method.toUpperCase())) continue;
        expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z0-9]+$/);
        expect(ids.has(op.operationId), `${op.operationId} unique`).toBe(false);
        ids.add(op.operationId);
        expect(op.summary, `${method} ${path}`).toBeTruthy();
        expect(Array.isArray(op.security), `${method} ${path}`).toBe(true);
      }
    }
    expect(doc.servers).toEqual([{ url: t.url }]);
  });
});
