/**
 * Ports of tempest's identity admin v3 tests (tempest/api/identity/admin/v3: test_domains,
 * test_list_projects, test_list_users, test_projects, test_project_tags, test_default_project_id,
 * test_tokens, test_users) that failed before, with the calls tempest's clients make: the same
 * paths, bodies, query strings (Python's `enabled=False`) and expected statuses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { expectError, KeystoneClient, V3 } from './keystone-client.js';

describe('tempest identity v3 ports', () => {
  let t: TestApp;
  let k: KeystoneClient;
  beforeAll(async () => {
    t = await startTestApp();
    k = new KeystoneClient(t);
  });
  afterAll(async () => t.close());

  const post = async (kind: string, body: Record<string, unknown>) => {
    const res = await t.request('POST', `${V3}/${kind}s`, { body: { [kind]: body } });
    expect(res.status, res.text).toBe(201);
    return res.body[kind];
  };
  const list = async (path: string, key: string) => {
    const res = await t.request('GET', `${V3}${path}`);
    expect(res.status, res.text).toBe(200);
    return res.body[key] as any[];
  };
  const login = (auth: unknown) => t.request('POST', `${V3}/auth/tokens`, { token: null, body: { auth } });

  it('test_domains: list filtered by enabled; create without description; update and delete', async () => {
    const on = [await post('domain', { name: 'dom-a' }), await post('domain', { name: 'dom-b' })];
    const off = await post('domain', { name: 'dom-c', enabled: false });
    expect(on[0].description).toBe('');
    const enabled = await list('/domains?enabled=True', 'domains');
    expect(enabled).toContainEqual(on[0]);
    expect(enabled).toContainEqual(on[1]);
    expect(enabled.every((d) => d.enabled === true)).toBe(true);
    const disabled = await list('/domains?enabled=False', 'domains');
    expect(disabled.map((d) => d.id)).toEqual([off.id]);
    const updated = await t.request('PATCH', `${V3}/domains/${on[0].id}`, { body: { domain: { name: 'dom-a2', description: 'd', enabled: false } } });
    expect(updated.body.domain).toMatchObject({ name: 'dom-a2', description: 'd', enabled: false });
    expect((await t.request('DELETE', `${V3}/domains/${on[0].id}`)).status).toBe(204);
    expect((await list('/domains', 'domains')).map((d) => d.id)).not.toContain(on[0].id);
  });

  it('test_domain_delete_cascades_content: a disabled domain goes with its users, groups and projects', async () => {
    const domain = await post('domain', { name: 'doomed' });
    const user = await post('user', { name: 'u-doomed', domain_id: domain.id, password: 'pw' });
    const group = await post('group', { name: 'g-doomed', domain_id: domain.id });
    const project = await post('project', { name: 'p-doomed', domain_id: domain.id });
    const child = await post('project', { name: 'p-doomed-child', parent_id: project.id });
    const role = await post('role', { name: 'r-doomed', domain_id: domain.id });
    await k.grant(`/projects/${project.id}/users/${user.id}/roles/${await k.roleId('member')}`);
    expectError(await t.request('DELETE', `${V3}/domains/${domain.id}`), 403, 'Cannot delete a domain that is enabled, please disable it first.');
    await t.request('PATCH', `${V3}/domains/${domain.id}`, { body: { domain: { enabled: false } } });
    expect((await t.request('DELETE', `${V3}/domains/${domain.id}`)).status).toBe(204);
    for (const [path, kind, id] of [
      ['domains', 'domain', domain.id],
      ['users', 'user', user.id],
      ['groups', 'group', group.id],
      ['projects', 'project', project.id],
      ['projects', 'project', child.id],
      ['roles', 'role', role.id],
    ]) {
      expectError(await t.request('GET', `${V3}/${path}/${id}`), 404, `Could not find ${kind}: ${id}.`);
    }
    expect(await list(`/role_assignments?user.id=${user.id}`, 'role_assignments')).toEqual([]);
  });

  it('test_list_projects: by domain, enabled, name and parent; show equals list', async () => {
    const domain = await post('domain', { name: 'lp-dom' });
    const p1 = await post('project', { name: 'lp-p1', enabled: false, domain_id: domain.id });
    const p2 = await post('project', { name: 'lp-p2' });
    const p3 = await post('project', { name: 'lp-p3', parent_id: p2.id });
    const all = await list('/projects', 'projects');
    for (const p of [p1, p2, p3]) expect(all).toContainEqual((await t.request('GET', `${V3}/projects/${p.id}`)).body.project);
    const byParams = async (query: string, key: string) => {
      const body = await list(`/projects?${query}`, 'projects');
      expect(body.map((x) => x[key])).toContain(p1[key]);
      expect(body.map((x) => x[key])).not.toContain(p2[key]);
    };
    await byParams(`domain_id=${domain.id}`, 'domain_id');
    await byParams('enabled=False', 'enabled');
    await byParams('name=lp-p1', 'name');
    const children = await list(`/projects?parent_id=${p3.parent_id}`, 'projects');
    expect(children.length).toBeGreaterThan(0);
    expect(children.every((p) => p.parent_id === p3.parent_id)).toBe(true);
  });

  it('test_list_users: by domain, enabled and name', async () => {
    const domain = await post('domain', { name: 'lu-dom' });
    const u1 = await post('user', { name: 'lu-1', domain_id: domain.id, enabled: false });
    const u2 = await post('user', { name: 'lu-2' });
    const ids = async (query: string) => (await list(`/users?${query}`, 'users')).map((u) => u.id);
    expect(await ids(`domain_id=${domain.id}`)).toEqual([u1.id]);
    const disabled = await ids('enabled=False');
    expect(disabled).toContain(u1.id);
    expect(disabled).not.toContain(u2.id);
    const enabled = await ids('enabled=True');
    expect(enabled).toContain(u2.id);
    expect(enabled).not.toContain(u1.id);
    expect(await ids('name=lu-2')).toEqual([u2.id]);
  });

  it('test_create_is_domain_project: shown by both the project and the domain APIs', async () => {
    const project = await post('project', { name: 'as-domain', domain_id: null, is_domain: true });
    expect(project).toMatchObject({ is_domain: true, domain_id: null, parent_id: null, enabled: true });
    expect((await list('/projects?is_domain=True', 'projects')).map((p) => p.id)).toContain(project.id);
    expect((await list('/projects', 'projects')).map((p) => p.id)).not.toContain(project.id);
    expect((await list('/domains', 'domains')).map((d) => d.id)).toContain(project.id);
    expect((await t.request('GET', `${V3}/projects/${project.id}`)).body.project).toEqual(project);
    // Projects can be created in it; disabling and deleting it through /projects works as for a domain.
    await post('project', { name: 'inside', domain_id: project.id });
    expect((await t.request('PATCH', `${V3}/projects/${project.id}`, { body: { project: { enabled: false } } })).body.project.enabled).toBe(false);
    expect((await t.request('DELETE', `${V3}/projects/${project.id}`)).status).toBe(204);
    expectError(await t.request('GET', `${V3}/domains/${project.id}`), 404);
  });

  it('test_project_get_equals_list: the exact keys, tags kept', async () => {
    const tags = ['a', 'c', 'b', 'd'];
    const project = await post('project', { name: 'tagged', tags });
    const shown = (await t.request('GET', `${V3}/projects/${project.id}`)).body.project;
    const listed = (await list('/projects', 'projects')).find((p) => p.id === project.id);
    expect(new Set(Object.keys(shown))).toEqual(new Set(['parent_id', 'is_domain', 'description', 'links', 'name', 'enabled', 'domain_id', 'id', 'tags']));
    expect(new Set(shown.tags)).toEqual(new Set(tags));
    expect(listed).toEqual(shown);
    expectError(await t.request('POST', `${V3}/projects`, { body: { project: { name: 'dup-tags', tags: ['a', 'a'] } } }), 400);
    expectError(await t.request('POST', `${V3}/projects`, { body: { project: { name: 'bad-tag', tags: ['a/b'] } } }), 400);
  });

  it('test_list_update_delete_project_tags (project_tags_client)', async () => {
    const project = await post('project', { name: 'tags-api' });
    const base = `${V3}/projects/${project.id}/tags`;
    expect((await t.request('PUT', `${base}/tag-1`, { raw: '{}' })).status).toBe(201);
    expect((await t.request('GET', `${base}/tag-1`)).status).toBe(204);
    const replaced = await t.request('PUT', base, { body: { tags: ['x', 'y', 'z'] } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.tags.sort()).toEqual(['x', 'y', 'z']);
    expect((await t.request('GET', base)).body.tags.sort()).toEqual(['x', 'y', 'z']);
    expect((await t.request('DELETE', `${base}/x`)).status).toBe(204);
    expectError(await t.request('GET', `${base}/x`), 404, 'Could not find project tag: x.');
    expect((await t.request('DELETE', base)).status).toBe(204);
    expect((await t.request('GET', base)).body.tags).toEqual([]);
  });

  it('project tag filters: tags (all), tags-any, not-tags (not all), not-tags-any (none)', async () => {
    const ab = await post('project', { name: 'tf-ab', tags: ['tf-a', 'tf-b'] });
    const b = await post('project', { name: 'tf-b', tags: ['tf-b'] });
    const c = await post('project', { name: 'tf-c', tags: ['tf-c'] });
    const names = async (q: string) => (await list(`/projects?${q}`, 'projects')).map((p) => p.name).filter((n) => n.startsWith('tf-')).sort();
    expect(await names('tags=tf-a,tf-b')).toEqual([ab.name]);
    expect(await names('tags-any=tf-a,tf-c')).toEqual([ab.name, c.name]);
    expect(await names('not-tags=tf-a,tf-b')).toEqual([b.name, c.name]);
    expect(await names('not-tags-any=tf-b')).toEqual([c.name]);
  });

  it('test_associate_user_to_project: extra attributes (project_id) kept and returned', async () => {
    const project = await post('project', { name: 'assoc' });
    const user = await post('user', { name: 'assoc-u', description: 'desc', password: 'pw', email: 'u@testmail.tm', project_id: project.id });
    const shown = (await t.request('GET', `${V3}/users/${user.id}`)).body.user;
    expect(shown).toMatchObject({ name: 'assoc-u', description: 'desc', project_id: project.id, email: 'u@testmail.tm' });
    const patched = await t.request('PATCH', `${V3}/users/${user.id}`, { body: { user: { team: 'blue', 'x-y': 1 } } });
    expect(patched.body.user).toMatchObject({ project_id: project.id, team: 'blue', x_y: 1 });
    expect(patched.body.user).not.toHaveProperty('password');
  });

  it('test_default_project_id: a login without scope is scoped to the default project', async () => {
    const domain = await post('domain', { name: 'dpi-dom' });
    const project = await post('project', { name: 'dpi-p', domain_id: domain.id });
    const user = await post('user', { name: 'dpi-u', password: 'dpi-pw', domain_id: domain.id, default_project_id: project.id });
    expect(user.default_project_id).toBe(project.id);
    await k.grant(`/projects/${project.id}/users/${user.id}/roles/${await k.roleId('admin')}`);
    const res = await login({ identity: { methods: ['password'], password: { user: { name: 'dpi-u', password: 'dpi-pw', domain: { name: 'dpi-dom' } } } } });
    expect(res.status, res.text).toBe(201);
    const token = res.headers.get('x-subject-token')!;
    const shown = await t.request('GET', `${V3}/auth/tokens`, { headers: { 'X-Auth-Token': token, 'X-Subject-Token': token } });
    expect(shown.body.token.project.domain.id).toBe(domain.id);
    expect(shown.body.token.project.id).toBe(project.id);
  });

  it('test_tokens: create, check (HEAD), validate, rescope, delete', async () => {
    const project = await post('project', { name: 'tok-p' });
    const user = await post('user', { name: 'tok-u', password: 'tok-pw' });
    await k.grant(`/projects/${project.id}/users/${user.id}/roles/${await k.roleId('member')}`);
    const unscoped = await login({ identity: { methods: ['password'], password: { user: { id: user.id, password: 'tok-pw' } } } });
    const id = unscoped.headers.get('x-subject-token')!;
    expect((await t.request('HEAD', `${V3}/auth/tokens`, { headers: { 'X-Subject-Token': id } })).status).toBe(200);
    const rescoped = await login({ identity: { methods: ['token'], token: { id } }, scope: { project: { id: project.id } } });
    expect(rescoped.status).toBe(201);
    expect(rescoped.body.token.project.id).toBe(project.id);
    expect(rescoped.body.token.roles.map((r: any) => r.name).sort()).toEqual(['member', 'reader']);
    expect((await t.request('DELETE', `${V3}/auth/tokens`, { headers: { 'X-Subject-Token': id } })).status).toBe(204);
    expect((await t.request('HEAD', `${V3}/auth/tokens`, { headers: { 'X-Subject-Token': id } })).status).toBe(404);
  });

  it('test_user_update_own_password: the old password and token stop working, the new ones do', async () => {
    const user = await post('user', { name: 'pw-u', password: 'old-pw' });
    const before = await login({ identity: { methods: ['password'], password: { user: { id: user.id, password: 'old-pw' } } } });
    const oldToken = before.headers.get('x-subject-token')!;
    const change = await t.request('POST', `${V3}/users/${user.id}/password`, {
      headers: { 'X-Auth-Token': oldToken },
      body: { user: { password: 'new-pw', original_password: 'old-pw' } },
    });
    expect(change.status).toBe(204);
    expectError(await t.request('GET', `${V3}/auth/tokens`, { headers: { 'X-Subject-Token': oldToken } }), 404);
    expectError(await login({ identity: { methods: ['password'], password: { user: { id: user.id, password: 'old-pw' } } } }), 401);
    expect((await login({ identity: { methods: ['password'], password: { user: { id: user.id, password: 'new-pw' } } } })).status).toBe(201);
  });
});
