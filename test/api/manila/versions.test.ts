/** Version discovery, microversion negotiation, the fault envelope and the family's edges (docs/compatibility.md §2.1, M-9). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { LOCKS, manila } from './manila-fixtures.js';

describe('Manila versions and microversions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('serves the root versions list at /share (300) with min and max microversion, without a token', async () => {
    for (const path of ['/share', '/share/']) {
      const res = await t.request('GET', path, { token: null });
      expect(res.status).toBe(300);
      const [v2] = res.body.versions;
      expect(v2).toMatchObject({ id: 'v2.0', status: 'CURRENT', min_version: '2.0', version: '2.81' });
      expect(v2.links).toContainEqual({ rel: 'self', href: `${t.url}/share/v2/` });
      expect(v2['media-types'][0].base).toBe('application/json');
    }
  });

  it('serves the v2 version document at /share/v2 and /v2', async () => {
    for (const path of ['/share/v2', '/share/v2/', '/v2', '/v2/']) {
      const res = await t.request('GET', path, { token: null });
      expect(res.status).toBe(200);
      expect(res.body.versions).toHaveLength(1);
      expect(res.body.versions[0]).toMatchObject({ id: 'v2.0', min_version: '2.0', version: '2.81' });
    }
  });

  it('answers 404 itemNotFound on every lock route without the header or below 2.81 (M-9)', async () => {
    const routes: [string, string][] = [
      ['GET', LOCKS],
      ['POST', LOCKS],
      ['GET', `${LOCKS}/x`],
      ['PUT', `${LOCKS}/x`],
      ['DELETE', `${LOCKS}/x`],
      ['GET', '/v2/resource-locks'],
    ];
    for (const [method, path] of routes) {
      const body = method === 'GET' ? undefined : {};
      const none = await t.request(method, path, { body });
      expect(none.status).toBe(404);
      expect(none.body).toEqual({ itemNotFound: { code: 404, message: 'The resource could not be found.' } });
      expect(none.headers.get('x-openstack-manila-api-version')).toBe('2.0');
      const old = await t.request(method, path, { body, headers: { 'X-OpenStack-Manila-API-Version': '2.80' } });
      expect(old.status).toBe(404);
      expect(old.body.itemNotFound.code).toBe(404);
    }
  });

  it('echoes the microversion with Vary at 2.81, and accepts OpenStack-API-Version: share 2.81', async () => {
    const res = await manila(t, 'GET', LOCKS);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-openstack-manila-api-version')).toBe('2.81');
    expect(res.headers.get('vary')).toContain('X-OpenStack-Manila-API-Version');
    const generic = await t.request('GET', LOCKS, { headers: { 'OpenStack-API-Version': 'share 2.81' } });
    expect(generic.status).toBe(200);
    expect(generic.headers.get('x-openstack-manila-api-version')).toBe('2.81');
  });

  it('refuses a malformed version (400) and one above the maximum (406, as upstream)', async () => {
    const bad = await t.request('GET', LOCKS, { headers: { 'X-OpenStack-Manila-API-Version': 'latest' } });
    expect(bad.status).toBe(400);
    expect(bad.body.badRequest.message).toBe(
      'API Version String latest is of invalid format. Must be of format MajorNum.MinorNum.',
    );
    const high = await t.request('GET', LOCKS, { headers: { 'X-OpenStack-Manila-API-Version': '2.99' } });
    expect(high.status).toBe(406);
    expect(high.body.computeFault.message).toBe(
      'Version 2.99 is not supported by the API. Minimum is 2.0 and maximum is 2.81.',
    );
  });

  it('uses the fault envelope for 401, 405, unknown routes and malformed JSON', async () => {
    const anon = await manila(t, 'GET', LOCKS, { token: null });
    expect(anon.status).toBe(401);
    expect(anon.body).toEqual({
      unauthorized: { code: 401, message: 'The request you have made requires authentication.' },
    });
    const junk = await manila(t, 'GET', LOCKS, { token: 'not-a-token' });
    expect(junk.status).toBe(401);
    const patch = await manila(t, 'PATCH', LOCKS, { body: {} });
    expect(patch.status).toBe(405);
    expect(patch.body.badMethod.code).toBe(405);
    const unknown = await manila(t, 'GET', '/share/v2/no-such-thing');
    expect(unknown.status).toBe(404);
    expect(unknown.body.itemNotFound.message).toBe('The resource could not be found.');
    const broken = await manila(t, 'POST', LOCKS, { raw: '{"resource_lock": ' });
    expect(broken.status).toBe(400);
    expect(broken.body.badRequest.message).toBe('Malformed request body');
  });

  it('documents its routes in /openapi.json', async () => {
    const res = await t.request('GET', '/openapi.json', { token: null });
    expect(res.status).toBe(200);
    for (const path of ['/share/v2/resource-locks', '/share/v2/resource-locks/{lock_id}', '/v2/resource-locks', '/share']) {
      expect(res.body.paths, path).toHaveProperty([path]);
    }
    expect(res.body.paths['/share/v2/resource-locks']).toHaveProperty('post.requestBody');
  });

  it('accepts the token in X-Auth-Token as well as Authorization: Bearer', async () => {
    const { ADMIN_TOKEN } = await import('../../helpers/test-app.js');
    const res = await manila(t, 'GET', LOCKS, { token: null, headers: { 'X-Auth-Token': ADMIN_TOKEN } });
    expect(res.status).toBe(200);
    expect(res.body.resource_locks).toEqual([]);
  });
});
