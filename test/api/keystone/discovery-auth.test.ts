/** Version discovery, credentials, the 401 header, links and the envelope for unknown routes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../../helpers/test-app.js';
import { expectError } from './keystone-client.js';

const UNAUTHENTICATED = 'The request you have made requires authentication.';

describe('version discovery and authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('GET /identity/v3 and /v3 answer the v3 version document, without a token', async () => {
    for (const [path, href] of [
      ['/identity/v3', `${t.url}/identity/v3/`],
      ['/identity/v3/', `${t.url}/identity/v3/`],
      ['/v3', `${t.url}/v3/`],
    ]) {
      const res = await t.request('GET', path!, { token: null });
      expect(res.status).toBe(200);
      expect(res.body.version).toEqual({
        id: 'v3.14',
        status: 'stable',
        updated: '2020-04-07T00:00:00Z',
        links: [{ rel: 'self', href }],
        'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
      });
    }
  });

  it('GET /identity answers the root versions document with 300', async () => {
    for (const path of ['/identity', '/identity/']) {
      const res = await t.request('GET', path, { token: null });
      expect(res.status).toBe(300);
      expect(res.body.versions.values).toHaveLength(1);
      expect(res.body.versions.values[0].links[0].href).toBe(`${t.url}/identity/v3/`);
    }
    expect((await t.request('HEAD', '/identity', { token: null })).status).toBe(300);
  });

  it('401 with Keystone\'s message and WWW-Authenticate, for a missing or invalid token', async () => {
    const none = await t.request('GET', '/identity/v3/roles', { token: null });
    expectError(none, 401, UNAUTHENTICATED);
    expect(none.body.error.title).toBe('Unauthorized');
    expect(none.headers.get('www-authenticate')).toBe(`Keystone uri="${t.url}/identity"`);
    const bad = await t.request('GET', '/v3/roles', { headers: { 'X-Auth-Token': 'not-a-token' } });
    expectError(bad, 401, UNAUTHENTICATED);
    expect(bad.headers.get('www-authenticate')).toBe(`Keystone uri="${t.url}"`);
    const expired = await t.token('admin', { system: true }, -60);
    expectError(await t.request('GET', '/v3/roles', { token: expired }), 401, UNAUTHENTICATED);
  });

  it('accepts X-Auth-Token and Authorization: Bearer', async () => {
    expect((await t.request('GET', '/v3/roles', { headers: { 'X-Auth-Token': ADMIN_TOKEN } })).status).toBe(200);
    expect((await t.request('GET', '/v3/roles', { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
    const jwt = await t.token('admin', { system: true });
    expect((await t.request('GET', '/identity/v3/roles', { headers: { 'X-Auth-Token': jwt } })).status).toBe(200);
  });

  it('links follow the prefix the request came in on', async () => {
    const a = await t.request('GET', '/v3/roles?name=admin');
    expect(a.body.roles[0].links.self).toBe(`${t.url}/v3/roles/${a.body.roles[0].id}`);
    const b = await t.request('GET', '/identity/v3/roles?name=admin');
    expect(b.body.roles[0].links.self).toBe(`${t.url}/identity/v3/roles/${a.body.roles[0].id}`);
  });

  it('documents its routes in /openapi.json under the /identity/v3 endpoint', async () => {
    const res = await t.request('GET', '/openapi.json', { token: null });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/identity/v3/roles', '/identity/v3/role_assignments', '/identity/v3/role_inferences']),
    );
    expect(res.body.paths['/identity/v3/roles'].post.requestBody).toBeDefined();
  });

  it('unknown routes answer 404 and wrong methods 405, in the Keystone envelope', async () => {
    expectError(await t.request('GET', '/identity/v3/nothing-here'), 404, 'The resource could not be found.');
    expectError(await t.request('GET', '/identity/elsewhere'), 404, 'The resource could not be found.');
    expectError(await t.request('PUT', '/v3/roles'), 405, /not allowed/);
  });
});

describe('PORTCULLIS_PUBLIC_URL', () => {
  it('replaces the request origin in links and in WWW-Authenticate', async () => {
    const t = await startTestApp({ PORTCULLIS_PUBLIC_URL: 'https://keystone.example.com/' });
    try {
      const res = await t.request('GET', '/identity/v3/roles?name=reader');
      expect(res.body.roles[0].links.self).toBe(`https://keystone.example.com/identity/v3/roles/${res.body.roles[0].id}`);
      expect(res.body.links.self).toBe('https://keystone.example.com/identity/v3/roles?name=reader');
      const unauth = await t.request('GET', '/identity/v3/roles', { token: null });
      expect(unauth.headers.get('www-authenticate')).toBe('Keystone uri="https://keystone.example.com/identity"');
    } finally {
      await t.close();
    }
  });
});
