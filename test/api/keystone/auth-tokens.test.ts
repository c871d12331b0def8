/** POST/GET/HEAD/DELETE /v3/auth/tokens in Keystone's shapes (keystone/api/auth.py, render_token.py). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { expectError, KeystoneClient, V3 } from './keystone-client.js';

const AUTH_FAILED = 'The request you have made requires authentication.';
const KEYSTONE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

describe('/v3/auth/tokens', () => {
  let t: TestApp;
  let k: KeystoneClient;
  let alice: string;
  let web: string;
  let staff: string;

  const passwordAuth = (user: Record<string, unknown>, password: string, scope?: unknown) => ({
    auth: { identity: { methods: ['password'], password: { user: { ...user, password } } }, ...(scope !== undefined ? { scope } : {}) },
  });
  const login = (body: unknown, path = `${V3}/auth/tokens`) => t.request('POST', path, { token: null, body });

  beforeAll(async () => {
    t = await startTestApp();
    k = new KeystoneClient(t);
    staff = await k.domain('Staff');
    const res = await t.request('POST', `${V3}/users`, { body: { user: { name: 'alice', domain_id: staff, password: 'alice-pw' } } });
    alice = res.body.user.id;
    web = await k.project('web', { domain_id: staff });
    await k.grant(`/projects/${web}/users/${alice}/roles/${await k.roleId('member')}`);
    await k.grant(`/domains/${staff}/users/${alice}/roles/${await k.roleId('reader')}`);
    await t.request('PATCH', `${V3}/users/admin`, { body: { user: { password: 'admin-pw' } } });
  });
  afterAll(async () => t.close());

  it('password login scoped to a project by names: 201, X-Subject-Token and the Keystone token body', async () => {
    const res = await login(passwordAuth({ name: 'alice', domain: { name: 'Staff' } }, 'alice-pw', { project: { name: 'web', domain: { id: staff } } }));
    expect(res.status, res.text).toBe(201);
    const id = res.headers.get('x-subject-token');
    expect(id).toBeTruthy();
    const token = res.body.token;
    expect(token.methods).toEqual(['password']);
    expect(token.user).toEqual({ domain: { id: staff, name: 'Staff' }, id: alice, name: 'alice', password_expires_at: null });
    expect(token.project).toEqual({ domain: { id: staff, name: 'Staff' }, id: web, name: 'web' });
    expect(token.is_domain).toBe(false);
    expect(token.roles.map((r: any) => r.name).sort()).toEqual(['member', 'reader']);
    expect(token.roles[0]).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), name: expect.any(String) });
    expect(token.expires_at).toMatch(KEYSTONE_TIME);
    expect(token.issued_at).toMatch(KEYSTONE_TIME);
    expect(Date.parse(token.expires_at) - Date.parse(token.issued_at)).toBeGreaterThan(3590_000);
    expect(token.audit_ids).toEqual([expect.stringMatching(/^[\w-]{22}$/)]);
    expect(token).not.toHaveProperty('system');
    expect(token.catalog.map((s: any) => s.type)).toEqual(['identity', 'shared-file-system']);
    const identity = token.catalog[0];
    expect(identity.name).toBe('keystone');
    expect(identity.endpoints.map((e: any) => e.interface).sort()).toEqual(['admin', 'internal', 'public']);
    for (const e of identity.endpoints) {
      expect(e).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), interface: e.interface, region: 'RegionOne', region_id: 'RegionOne', url: `${t.url}/identity` });
    }
    expect(token.catalog[1].endpoints[0].url).toBe(`${t.url}/share/v2`);
    // The token is a credential like any other.
    const me = await t.request('GET', `${V3}/users/${alice}`, { headers: { 'X-Auth-Token': id! } });
    expect(me.status).toBe(200);
  });

  it('scopes to a domain, to the system, or to nothing; by ids; under /v3 too', async () => {
    const domain = await login(passwordAuth({ id: alice }, 'alice-pw', { domain: { name: 'Staff' } }), '/v3/auth/tokens');
    expect(domain.status, domain.text).toBe(201);
    expect(domain.body.token.domain).toEqual({ id: staff, name: 'Staff' });
    expect(domain.body.token.roles.map((r: any) => r.name)).toEqual(['reader']);
    expect(domain.body.token).not.toHaveProperty('project');
    const system = await login(passwordAuth({ name: 'admin', domain: { id: 'default' } }, 'admin-pw', { system: { all: true } }));
    expect(system.status, system.text).toBe(201);
    expect(system.body.token.system).toEqual({ all: true });
    expect(system.body.token.roles.map((r: any) => r.name)).toContain('admin');
    const sysToken = system.headers.get('x-subject-token')!;
    expect((await t.request('GET', `${V3}/roles`, { headers: { 'X-Auth-Token': sysToken } })).status).toBe(200);
    for (const scope of ['unscoped', undefined]) {
      const unscoped = await login(passwordAuth({ id: alice }, 'alice-pw', scope));
      expect(unscoped.status).toBe(201);
      expect(unscoped.body.token).not.toHaveProperty('catalog');
      expect(unscoped.body.token).not.toHaveProperty('roles');
      expect(unscoped.body.token).not.toHaveProperty('project');
    }
    const nocatalog = await t.request('POST', `${V3}/auth/tokens?nocatalog`, {
      token: null,
      body: passwordAuth({ id: alice }, 'alice-pw', { project: { id: web } }),
    });
    expect(nocatalog.status).toBe(201);
    expect(nocatalog.body.token).not.toHaveProperty('catalog');
    expect(nocatalog.body.token.roles.length).toBe(2);
  });

  it('refuses, with 401 and Keystone\'s message, every login that cannot have the token it asks for', async () => {
    const nobody = await k.user('nobody');
    const closed = await k.project('closed', { domain_id: staff });
    await k.grant(`/projects/${closed}/users/${alice}/roles/${await k.roleId('member')}`);
    await t.request('PATCH', `${V3}/projects/${closed}`, { body: { project: { enabled: false } } });
    const other = await k.project('other');
    const cases = [
      passwordAuth({ id: alice }, 'wrong'),
      passwordAuth({ name: 'alice', domain: { id: 'default' } }, 'alice-pw'), // alice lives in Staff
      passwordAuth({ id: nobody }, ''),
      passwordAuth({ id: 'ghost' }, 'x'),
      passwordAuth({ id: alice }, 'alice-pw', { project: { id: other } }), // no roles there
      passwordAuth({ id: alice }, 'alice-pw', { project: { id: closed } }),
      passwordAuth({ id: alice }, 'alice-pw', { project: { id: 'ghost' } }),
      passwordAuth({ id: alice }, 'alice-pw', { domain: { id: 'default' } }),
      passwordAuth({ id: alice }, 'alice-pw', { system: { all: true } }),
      { auth: { identity: { methods: ['totp'], totp: {} } } },
      { auth: { identity: { methods: ['token'], token: { id: 'not-a-token' } } } },
    ];
    for (const body of cases) {
      const res = await login(body);
      expectError(res, 401, AUTH_FAILED);
      expect(res.headers.get('www-authenticate')).toBe(`Keystone uri="${t.url}/identity"`);
      expect(res.headers.get('x-subject-token')).toBeNull();
    }
  });

  it('answers 400 for a malformed request, with Keystone\'s wording', async () => {
    expectError(await login({}), 400);
    expectError(await login({ auth: { identity: { methods: ['password'] } } }), 400, /Expecting to find password in identity/);
    expectError(await login(passwordAuth({ name: 'alice' }, 'alice-pw')), 400, /Expecting to find domain in user/);
    expectError(await login(passwordAuth({}, 'x')), 400, 'Invalid input for field identity/password/user: id or name must be present.');
    expectError(
      await login(passwordAuth({ id: alice }, 'alice-pw', { project: { id: web }, domain: { id: staff } })),
      400,
      /Expecting to find project, domain, OS-TRUST:trust or system in scope/,
    );
    expectError(await login(passwordAuth({ id: alice }, 'alice-pw', { project: { name: 'web' } })), 400, /Expecting to find domain in project/);
  });

  it('the token method rescopes: same expiry, audit chain kept, methods combined', async () => {
    const first = await login(passwordAuth({ id: alice }, 'alice-pw', 'unscoped'));
    const firstId = first.headers.get('x-subject-token')!;
    const rescoped = await login({ auth: { identity: { methods: ['token'], token: { id: firstId } }, scope: { project: { id: web } } } });
    expect(rescoped.status, rescoped.text).toBe(201);
    const token = rescoped.body.token;
    expect(token.methods.sort()).toEqual(['password', 'token']);
    expect(token.expires_at).toBe(first.body.token.expires_at);
    expect(token.audit_ids).toHaveLength(2);
    expect(token.audit_ids[1]).toBe(first.body.token.audit_ids[0]);
    expect(token.project.id).toBe(web);
  });

  it('GET and HEAD validate X-Subject-Token for admins, system readers and the token\'s own user; others get 403', async () => {
    const res = await login(passwordAuth({ id: alice }, 'alice-pw', { project: { id: web } }));
    const subject = res.headers.get('x-subject-token')!;
    const byAdmin = await t.request('GET', `${V3}/auth/tokens`, { headers: { 'X-Subject-Token': subject, Authorization: 'Bearer test-admin-token-0123456789' } });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.headers.get('x-subject-token')).toBe(subject);
    expect(byAdmin.body.token.audit_ids).toEqual(res.body.token.audit_ids);
    expect(byAdmin.body.token.catalog).toHaveLength(2);
    const self = await t.request('GET', `${V3}/auth/tokens?nocatalog`, { headers: { 'X-Subject-Token': subject, 'X-Auth-Token': subject } });
    expect(self.status).toBe(200);
    expect(self.body.token).not.toHaveProperty('catalog');
    const head = await t.request('HEAD', `${V3}/auth/tokens`, { headers: { 'X-Subject-Token': subject } });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    const bob = await t.request('POST', `${V3}/users`, { body: { user: { name: 'bob', password: 'bob-pw' } } });
    await k.grant(`/projects/${await k.project('bobs')}/users/${bob.body.user.id}/roles/${await k.roleId('member')}`);
    const bobToken = (await login(passwordAuth({ id: bob.body.user.id }, 'bob-pw', 'unscoped'))).headers.get('x-subject-token')!;
    expectError(
      await t.request('GET', `${V3}/auth/tokens`, { headers: { 'X-Subject-Token': subject, 'X-Auth-Token': bobToken } }),
      403,
      'You are not authorized to perform the requested action: identity:validate_token.',
    );
    expectError(await t.request('GET', `${V3}/auth/tokens`, { headers: { 'X-Subject-Token': 'garbage' } }), 404, 'Failed to validate token');
    expectError(await t.request('GET', `${V3}/auth/tokens`), 404, 'Failed to validate token');
    expectError(await t.request('GET', `${V3}/auth/tokens`, { token: null, headers: { 'X-Subject-Token': subject } }), 401, AUTH_FAILED);
  });

  it('DELETE revokes the token and, by default, the tokens rescoped from it', async () => {
    const issue = async () => (await login(passwordAuth({ id: alice }, 'alice-pw', 'unscoped'))).headers.get('x-subject-token')!;
    const rescope = async (from: string) =>
      (await login({ auth: { identity: { methods: ['token'], token: { id: from } }, scope: { project: { id: web } } } })).headers.get('x-subject-token')!;
    const validate = (subject: string) => t.request('GET', `${V3}/auth/tokens`, { headers: { 'X-Subject-Token': subject } });

    const root = await issue();
    const child = await rescope(root);
    const del = await t.request('DELETE', `${V3}/auth/tokens`, { headers: { 'X-Subject-Token': root, 'X-Auth-Token': root } });
    expect(del.status).toBe(204);
    expectError(await validate(root), 404, 'Failed to validate token');
    expectError(await validate(child), 404);
    expect((await t.request('GET', `${V3}/users/${alice}`, { headers: { 'X-Auth-Token': child } })).status).toBe(401);
    expectError(await t.request('DELETE', `${V3}/auth/tokens`, { headers: { 'X-Subject-Token': root } }), 404);

    const root2 = await issue();
    const child2 = await rescope(root2);
    expect((await t.request('DELETE', `${V3}/auth/tokens?cascade=false`, { headers: { 'X-Subject-Token': root2 } })).status).toBe(204);
    expect((await validate(root2)).status).toBe(404);
    expect((await validate(child2)).status).toBe(200);
  });

  it('is documented in /openapi.json', async () => {
    const res = await t.request('GET', '/openapi.json', { token: null });
    const path = res.body.paths['/identity/v3/auth/tokens'];
    expect(Object.keys(path).sort()).toEqual(['delete', 'get', 'post']);
    expect(path.post.requestBody).toBeDefined();
  });
});
