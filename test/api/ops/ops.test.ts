import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

describe('operational endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('/healthz and /readyz answer without credentials', async () => {
    expect((await t.request('GET', '/healthz', { token: null })).body).toEqual({ status: 'ok' });
    const ready = await t.request('GET', '/readyz', { token: null });
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', store: { kind: t.portcullis.context.stores.kind, reachable: true }, policy: { loaded: true } });
  });

  it('/metrics counts decisions by result and times them', async () => {
    await t.request('POST', '/access/v1/evaluation', {
      body: { subject: { type: 'user', id: 'admin' }, action: { name: 'read' }, resource: { type: 'vm', id: '1' } },
    });
    const metrics = await t.request('GET', '/metrics', { token: null });
    expect(metrics.text).toMatch(/portcullis_decisions_total\{result="allow",kind="resource"\} 1/);
    expect(metrics.text).toMatch(/portcullis_decision_duration_seconds_count\{kind="resource"\} 1/);
  });

  it('/openapi.json documents the routes from their schemas', async () => {
    const doc = (await t.request('GET', '/openapi.json', { token: null })).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/access/v1/evaluation', '/v1/resources/{type}/{id}', '/v1/policy']));
  });

  it('/ lists where each API lives', async () => {
    const res = await t.request('GET', '/', { token: null });
    expect(res.status).toBe(200);
    expect(res.body.apis).toMatchObject({ keystone: `${t.url}/identity/v3`, manila: `${t.url}/share/v2` });
  });

  it('answers an unknown top-level path with 404', async () => {
    const res = await t.request('GET', '/nowhere', { token: null });
    expect(res.status).toBe(404);
  });
});
