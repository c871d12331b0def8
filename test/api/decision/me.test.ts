/**
 * GET /v1/me: the caller's user, token scope, roles held there and the permissions asked about,
 * each asked of Casbin with the caller's own scope as target.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, grantSystemRole } from '../../helpers/directory-fixtures.js';
import { addProject, grantRole } from '../../helpers/seed.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

describe('GET /v1/me', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await addProject(t, 'p1');
    await addUser(t, { id: 'mia', name: 'mia' });
    await grantRole(t, { user: 'mia' }, 'member', { project: 'p1' });
    await addUser(t, { id: 'rex', name: 'rex' });
    await grantSystemRole(t, 'rex', 'reader');
    await addUser(t, { id: 'dora', name: 'dora' });
    await grantRole(t, { user: 'dora' }, 'reader', { domain: 'default' });
  });
  afterAll(() => t.close());

  const me = async (token: string | undefined, ...permissions: string[]) =>
    t.request('GET', `/v1/me${permissions.length ? `?${permissions.map((p) => `permission=${encodeURIComponent(p)}`).join('&')}` : ''}`, token === undefined ? {} : { token });

  it('describes the admin token: user admin on the system, every bootstrap role, admin permissions', async () => {
    const res = await me(undefined, 'policy:write', 'registry:write');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      user: { id: 'admin', name: 'admin', domain_id: 'default' },
      scope: { type: 'system' },
      via: 'admin-token',
      roles: ['admin', 'manager', 'member', 'reader'],
      permissions: { 'policy:write': true, 'registry:write': true },
    });
  });

  it('describes a project member: the project by name, implied roles, what it may do in its own project', async () => {
    const res = await me(await t.token('mia', { project: 'p1' }), 'identity:get_project', 'policy:read', 'manage-locks');
    expect(res.body).toMatchObject({
      user: { id: 'mia', name: 'mia' },
      scope: { type: 'project', id: 'p1', name: 'p1', domain_id: 'default' },
      roles: ['member', 'reader'],
      permissions: { 'identity:get_project': true, 'policy:read': false, 'manage-locks': true },
    });
  });

  it("answers domain-conditioned permissions for the token's own domain", async () => {
    const res = await me(await t.token('dora', { domain: 'default' }), 'identity:list_users', 'identity:list_role_assignments');
    expect(res.body.scope).toEqual({ type: 'domain', id: 'default', name: 'Default' });
    expect(res.body.permissions).toEqual({ 'identity:list_users': true, 'identity:list_role_assignments': true });
  });

  it('answers a system reader: sees policy, may not change it', async () => {
    const res = await me(await t.token('rex', { system: true }), 'policy:read', 'policy:write', 'policy:read');
    expect(res.body.roles).toEqual(['reader']);
    expect(res.body.permissions).toEqual({ 'policy:read': true, 'policy:write': false });
  });

  it('answers without permissions when none is asked', async () => {
    expect((await me(await t.token('rex', { system: true }))).body.permissions).toEqual({});
  });

  it('refuses a malformed permission name or an unknown parameter with 400, no credential with 401', async () => {
    const bad = await me(undefined, 'not a permission');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('permission');
    expect((await t.request('GET', '/v1/me?perm=x')).status).toBe(400);
    expect((await t.request('GET', `/v1/me?${Array.from({ length: 51 }, (_, i) => `permission=p${i}`).join('&')}`)).status).toBe(400);
    expect((await t.request('GET', '/v1/me', { token: null })).status).toBe(401);
  });
});
