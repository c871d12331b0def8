/** Users, groups, membership, domains and projects in Keystone v3 shapes (docs/compatibility.md §8.1). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { expectError, KeystoneClient, V3 } from './keystone-client.js';

describe('directory', () => {
  let t: TestApp;
  let k: KeystoneClient;
  beforeAll(async () => {
    t = await startTestApp();
    k = new KeystoneClient(t);
  });
  afterAll(async () => t.close());

  it('users: create, show, list by name and domain, update, delete; bootstrap ids accepted', async () => {
    const res = await t.request('POST', `${V3}/users`, { body: { user: { name: 'alice', email: 'a@x', password: 's3cret' } } });
    expect(res.status).toBe(201);
    const alice = res.body.user;
    expect(alice).toMatchObject({ name: 'alice', domain_id: 'default', enabled: true, email: 'a@x', password_expires_at: null });
    expect(alice.id).toMatch(/^[0-9a-f]{32}$/);
    expect(alice).not.toHaveProperty('password');
    expect(alice.links.self).toBe(`${t.url}${V3}/users/${alice.id}`);
    expect((await t.request('GET', `${V3}/users/${alice.id}`)).body.user).toEqual(alice);
    expect((await t.request('GET', `${V3}/users/admin`)).body.user.name).toBe('admin');
    const byName = await t.request('GET', `${V3}/users?name=alice&domain_id=default`);
    expect(byName.body.users.map((u: any) => u.id)).toEqual([alice.id]);
    const patched = await t.request('PATCH', `${V3}/users/${alice.id}`, { body: { user: { enabled: false } } });
    expect(patched.body.user.enabled).toBe(false);
    expectError(
      await t.request('POST', `${V3}/users`, { body: { user: { name: 'alice' } } }),
      409,
      'Conflict occurred attempting to store user - Duplicate entry found with name alice at domain ID default.',
    );
    expectError(await t.request('POST', `${V3}/users`, { body: { user: { name: 'x', domain_id: 'nowhere' } } }), 404, 'Could not find domain: nowhere.');
    expectError(await t.request('POST', `${V3}/users`, { body: { user: { name: 'x'.repeat(256) } } }), 400, /Invalid input/);
    expect((await t.request('DELETE', `${V3}/users/${alice.id}`)).status).toBe(204);
    expectError(await t.request('GET', `${V3}/users/${alice.id}`), 404, `Could not find user: ${alice.id}.`);
  });

  it('deleting a user cascades to its grants, memberships, locks and ownership', async () => {
    const bob = await k.user('bob');
    const ops = await k.group('ops');
    const project = await k.project('bob-project');
    await k.addMember(ops, bob);
    await k.grant(`/projects/${project}/users/${bob}/roles/${await k.roleId('member')}`);
    const put = await t.request('PUT', '/v1/resources/vm/bobs', { body: { project_id: project, owner: bob } });
    expect(put.status).toBe(201);
    expect((await t.request('DELETE', `${V3}/users/${bob}`)).status).toBe(204);
    expect((await t.request('GET', `${V3}/groups/${ops}/users`)).body.users).toEqual([]);
    expect((await t.request('GET', `${V3}/role_assignments?user.id=${bob}`)).body.role_assignments).toEqual([]);
    expect((await t.request('GET', '/v1/resources/vm/bobs')).body.resource.owner).toBeNull();
  });

  it('groups and membership: add (idempotent), check (204/404), list both ways, remove', async () => {
    const carl = await k.user('carl');
    const res = await t.request('POST', `${V3}/groups`, { body: { group: { name: 'devs', description: 'Developers' } } });
    expect(res.status).toBe(201);
    const devs = res.body.group;
    expect(devs).toMatchObject({ name: 'devs', domain_id: 'default', description: 'Developers' });
    await k.addMember(devs.id, carl);
    await k.addMember(devs.id, carl);
    expect((await t.request('HEAD', `${V3}/groups/${devs.id}/users/${carl}`)).status).toBe(204);
    expect((await t.request('GET', `${V3}/groups/${devs.id}/users/${carl}`)).status).toBe(204);
    expect((await t.request('GET', `${V3}/groups/${devs.id}/users`)).body.users.map((u: any) => u.id)).toEqual([carl]);
    expect((await t.request('GET', `${V3}/users/${carl}/groups`)).body.groups.map((g: any) => g.id)).toEqual([devs.id]);
    expect((await t.request('DELETE', `${V3}/groups/${devs.id}/users/${carl}`)).status).toBe(204);
    expectError(
      await t.request('GET', `${V3}/groups/${devs.id}/users/${carl}`),
      404,
      `User '${carl}' not found in group '${devs.id}'`,
    );
    expectError(await t.request('PUT', `${V3}/groups/${devs.id}/users/ghost`), 404, 'Could not find user: ghost.');
    expectError(await t.request('PUT', `${V3}/groups/ghost/users/${carl}`), 404, 'Could not find group: ghost.');
    const renamed = await t.request('PATCH', `${V3}/groups/${devs.id}`, { body: { group: { name: 'developers' } } });
    expect(renamed.body.group.name).toBe('developers');
    expect((await t.request('GET', `${V3}/groups?name=developers`)).body.groups).toHaveLength(1);
    await k.grant(`/domains/default/groups/${devs.id}/roles/${await k.roleId('reader')}`);
    expect((await t.request('DELETE', `${V3}/groups/${devs.id}`)).status).toBe(204);
    expect((await t.request('GET', `${V3}/role_assignments?group.id=${devs.id}`)).body.role_assignments).toEqual([]);
    expectError(await t.request('GET', `${V3}/groups/${devs.id}`), 404, `Could not find group: ${devs.id}.`);
  });

  it('projects form a tree: parent_id, domain inherited from the parent, parent_id filter', async () => {
    const root = await t.request('POST', `${V3}/projects`, { body: { project: { name: 'root', description: 'r' } } });
    expect(root.status).toBe(201);
    expect(root.body.project).toMatchObject({ name: 'root', domain_id: 'default', parent_id: 'default', is_domain: false, enabled: true });
    const child = await t.request('POST', `${V3}/projects`, { body: { project: { name: 'leaf', parent_id: root.body.project.id } } });
    expect(child.body.project).toMatchObject({ domain_id: 'default', parent_id: root.body.project.id });
    const kids = await t.request('GET', `${V3}/projects?parent_id=${root.body.project.id}`);
    expect(kids.body.projects.map((p: any) => p.name)).toEqual(['leaf']);
    expectError(await t.request('POST', `${V3}/projects`, { body: { project: { name: 'x', parent_id: 'nowhere' } } }), 404, 'Could not find project: nowhere.');
    const acme = await k.domain('acme-tree');
    expectError(
      await t.request('POST', `${V3}/projects`, { body: { project: { name: 'x', parent_id: root.body.project.id, domain_id: acme } } }),
      400,
      /not in the same domain/,
    );
    expectError(
      await t.request('POST', `${V3}/projects`, { body: { project: { name: 'x', is_domain: true, parent_id: root.body.project.id } } }),
      400,
    );
    expectError(
      await t.request('PATCH', `${V3}/projects/${child.body.project.id}`, { body: { project: { parent_id: 'default' } } }),
      403,
      'Update of `parent_id` is not allowed.',
    );
    const renamed = await t.request('PATCH', `${V3}/projects/${child.body.project.id}`, { body: { project: { name: 'leaf2' } } });
    expect(renamed.body.project.name).toBe('leaf2');
    expectError(
      await t.request('DELETE', `${V3}/projects/${root.body.project.id}`),
      403,
      `Cannot delete the project ${root.body.project.id} since it is not a leaf in the hierarchy. Use the cascade option if you want to delete a whole subtree.`,
    );
    expect((await t.request('DELETE', `${V3}/projects/${child.body.project.id}`)).status).toBe(204);
    expect((await t.request('DELETE', `${V3}/projects/${root.body.project.id}`)).status).toBe(204);
    expectError(await t.request('GET', `${V3}/projects/${root.body.project.id}`), 404, `Could not find project: ${root.body.project.id}.`);
  });

  it('deleting a project removes the grants on it', async () => {
    const project = await k.project('short-lived');
    const dan = await k.user('dan');
    await k.grant(`/projects/${project}/users/${dan}/roles/${await k.roleId('member')}`);
    expect((await t.request('DELETE', `${V3}/projects/${project}`)).status).toBe(204);
    expect((await t.request('GET', `${V3}/role_assignments?user.id=${dan}`)).body.role_assignments).toEqual([]);
  });

  it('domains: create, list, update; delete needs a disabled domain, and takes its contents along', async () => {
    const res = await t.request('POST', `${V3}/domains`, { body: { domain: { name: 'Zeta', description: 'z' } } });
    expect(res.status).toBe(201);
    const zeta = res.body.domain;
    expect(zeta).toMatchObject({ name: 'Zeta', enabled: true, description: 'z' });
    expect((await t.request('GET', `${V3}/domains?name=Zeta`)).body.domains.map((d: any) => d.id)).toEqual([zeta.id]);
    expect((await t.request('GET', `${V3}/domains/default`)).body.domain.name).toBe('Default');
    expectError(
      await t.request('POST', `${V3}/domains`, { body: { domain: { name: 'Zeta' } } }),
      409,
      'Conflict occurred attempting to store domain - Duplicate entry found with name Zeta.',
    );
    const project = await k.project('zp', { domain_id: zeta.id });
    expectError(await t.request('DELETE', `${V3}/domains/${zeta.id}`), 403, 'Cannot delete a domain that is enabled, please disable it first.');
    expect((await t.request('PATCH', `${V3}/domains/${zeta.id}`, { body: { domain: { enabled: false } } })).body.domain.enabled).toBe(false);
    expect((await t.request('DELETE', `${V3}/domains/${zeta.id}`)).status).toBe(204);
    expectError(await t.request('GET', `${V3}/domains/${zeta.id}`), 404, `Could not find domain: ${zeta.id}.`);
    expectError(await t.request('GET', `${V3}/projects/${project}`), 404, `Could not find project: ${project}.`);
  });

  it('rejects unknown top-level keys and malformed bodies without storing', async () => {
    expectError(await t.request('POST', `${V3}/users`, { body: { user: { name: 'q' }, extra: true } }), 400, /Invalid input/);
    expectError(await t.request('POST', `${V3}/projects`, { raw: 'not json' }), 400, /^Expecting to find valid JSON/);
    expect((await t.request('GET', `${V3}/users?name=q`)).body.users).toEqual([]);
  });
});
