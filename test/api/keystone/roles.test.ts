/** `/v3/roles` CRUD (docs/compatibility.md §1.3) and its errors (§1.9). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { expectError, KeystoneClient, V3 } from './keystone-client.js';

const IMMUTABLE = (verb: string, id: string) =>
  `Unable to ${verb} immutable role resource: \`${id}. Set resource option "immutable" to false first.`;

describe('roles', () => {
  let t: TestApp;
  let k: KeystoneClient;
  let domain: string;
  beforeAll(async () => {
    t = await startTestApp();
    k = new KeystoneClient(t);
    domain = await k.domain('acme');
  });
  afterAll(async () => t.close());

  it('lists global roles only, unless domain_id is given; filters by name', async () => {
    const domainRole = await k.role('acme-only', { domain_id: domain });
    const all = await t.request('GET', `${V3}/roles`);
    expect(all.status).toBe(200);
    const names = all.body.roles.map((r: any) => r.name);
    expect(names).toEqual(expect.arrayContaining(['admin', 'manager', 'member', 'reader', 'service']));
    expect(names).not.toContain('acme-only');
    expect(all.body.links).toEqual({ self: `${t.url}${V3}/roles`, previous: null, next: null });
    const scoped = await t.request('GET', `${V3}/roles?domain_id=${domain}`);
    expect(scoped.body.roles.map((r: any) => r.id)).toEqual([domainRole]);
    const byName = await t.request('GET', `${V3}/roles?name=reader`);
    expect(byName.body.roles).toHaveLength(1);
    expect(byName.body.roles[0]).toMatchObject({ name: 'reader', domain_id: null, options: { immutable: true } });
    const head = await t.request('HEAD', `${V3}/roles`);
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });

  it('creates a global role: 201, server id, options present, client id ignored, extras echoed', async () => {
    const res = await t.request('POST', `${V3}/roles`, {
      body: { role: { name: 'developer', description: 'My new role', id: 'mine', 'x-team': 'blue' } },
    });
    expect(res.status).toBe(201);
    const role = res.body.role;
    expect(role.id).toMatch(/^[0-9a-f]{32}$/);
    expect(role).toMatchObject({ name: 'developer', description: 'My new role', domain_id: null, options: {}, x_team: 'blue' });
    expect(role.links.self).toBe(`${t.url}${V3}/roles/${role.id}`);
    const shown = await t.request('GET', `${V3}/roles/${role.id}`);
    expect(shown.body.role).toEqual(role);
  });

  it('creates a domain role with options.immutable; 404 for an unknown domain (K-6)', async () => {
    const res = await t.request('POST', `${V3}/roles`, {
      body: { role: { name: 'dev', domain_id: domain, options: { immutable: false } } },
    });
    expect(res.status).toBe(201);
    expect(res.body.role).toMatchObject({ domain_id: domain, options: { immutable: false } });
    const missing = await t.request('POST', `${V3}/roles`, { body: { role: { name: 'dev', domain_id: 'nowhere' } } });
    expectError(missing, 404, 'Could not find domain: nowhere.');
  });

  it('refuses duplicates with 409, per (name, domain)', async () => {
    await k.role('dup');
    expectError(
      await t.request('POST', `${V3}/roles`, { body: { role: { name: 'dup' } } }),
      409,
      'Conflict occurred attempting to store role - Duplicate entry found with name dup.',
    );
    expect((await t.request('POST', `${V3}/roles`, { body: { role: { name: 'dup', domain_id: domain } } })).status).toBe(201);
    expectError(
      await t.request('POST', `${V3}/roles`, { body: { role: { name: 'dup', domain_id: domain } } }),
      409,
      `Conflict occurred attempting to store role - Duplicate entry found with name dup at domain ID ${domain}.`,
    );
  });

  it.each([
    ['no role key', {}],
    ['an unknown top-level key', { role: { name: 'a' }, extra: 1 }],
    ['a missing name', { role: { description: 'x' } }],
    ['an empty name', { role: { name: '' } }],
    ['a whitespace-only name', { role: { name: '   ' } }],
    ['an over-long name', { role: { name: 'n'.repeat(256) } }],
    ['a non-string name', { role: { name: 42 } }],
    ['an unknown option', { role: { name: 'a', options: { sticky: true } } }],
    ['a non-boolean immutable', { role: { name: 'a', options: { immutable: 'yes' } } }],
    ['a malformed domain_id', { role: { name: 'a', domain_id: 'no spaces allowed' } }],
    ['an array body', [1, 2]],
  ])('answers 400 for %s, storing nothing', async (_label, body) => {
    const before = (await t.request('GET', `${V3}/roles`)).body.roles.length;
    const res = await t.request('POST', `${V3}/roles`, { body });
    expectError(res, 400, /Invalid input|Expecting/);
    expect((await t.request('GET', `${V3}/roles`)).body.roles.length).toBe(before);
  });

  it('answers 400 in the Keystone envelope for malformed JSON', async () => {
    const res = await t.request('POST', `${V3}/roles`, { raw: '{"role": {"name": ' });
    expectError(res, 400, /^Expecting to find valid JSON in request body/);
  });

  it('shows 404 with Keystone message for an unknown role', async () => {
    expectError(await t.request('GET', `${V3}/roles/9fe2ff9e`), 404, 'Could not find role: 9fe2ff9e.');
  });

  it('updates name and description; refuses id and domain_id changes; 409 on rename clash', async () => {
    const id = await k.role('renamable');
    const res = await t.request('PATCH', `${V3}/roles/${id}`, { body: { role: { name: 'renamed', description: 'd' } } });
    expect(res.status).toBe(200);
    expect(res.body.role).toMatchObject({ id, name: 'renamed', description: 'd' });
    expect((await t.request('PATCH', `${V3}/roles/${id}`, { body: { role: { id, name: 'same-id-ok' } } })).status).toBe(200);
    expectError(await t.request('PATCH', `${V3}/roles/${id}`, { body: { role: { id: 'other' } } }), 400, 'Cannot change ID');
    expectError(
      await t.request('PATCH', `${V3}/roles/${id}`, { body: { role: { domain_id: domain } } }),
      400,
      'Update of `domain_id` is not allowed.',
    );
    expect((await t.request('PATCH', `${V3}/roles/${id}`, { body: { role: { domain_id: null } } })).status).toBe(200);
    expectError(
      await t.request('PATCH', `${V3}/roles/${id}`, { body: { role: { name: 'member' } } }),
      409,
      'Conflict occurred attempting to store role - Duplicate entry found with name member.',
    );
    expectError(await t.request('PATCH', `${V3}/roles/${id}`, { body: { role: {} } }), 400, /at least 1 property/);
    expectError(await t.request('PATCH', `${V3}/roles/nope`, { body: { role: { name: 'z' } } }), 404, 'Could not find role: nope.');
    expect((await t.request('GET', `${V3}/roles/${id}`)).body.role.name).toBe('same-id-ok');
  });

  it('enforces the immutable rules exactly (docs/compatibility.md §1.3, K-9)', async () => {
    const id = await k.role('locked', { options: { immutable: true } });
    expectError(await t.request('PATCH', `${V3}/roles/${id}`, { body: { role: { name: 'x' } } }), 403, IMMUTABLE('update', id));
    expectError(
      await t.request('PATCH', `${V3}/roles/${id}`, { body: { role: { name: 'x', options: { immutable: false } } } }),
      403,
      IMMUTABLE('update', id),
    );
    expectError(
      await t.request('PATCH', `${V3}/roles/${id}`, { body: { role: { options: { immutable: true } } } }),
      403,
      IMMUTABLE('update', id),
    );
    expectError(await t.request('PATCH', `${V3}/roles/${id}`, { body: { role: { options: {} } } }), 403, IMMUTABLE('update', id));
    expectError(await t.request('DELETE', `${V3}/roles/${id}`), 403, IMMUTABLE('delete', id));
    const unlocked = await t.request('PATCH', `${V3}/roles/${id}`, { body: { role: { options: { immutable: null } } } });
    expect(unlocked.status).toBe(200);
    expect(unlocked.body.role.options).toEqual({});
    expect((await t.request('PATCH', `${V3}/roles/${id}`, { body: { role: { name: 'unlocked' } } })).status).toBe(200);
    expect((await t.request('DELETE', `${V3}/roles/${id}`)).status).toBe(204);
  });

  it('the bootstrap admin role is immutable', async () => {
    const admin = await k.roleId('admin');
    expectError(await t.request('DELETE', `${V3}/roles/${admin}`), 403, IMMUTABLE('delete', admin));
  });

  it('deletes a role in use: its grants and inference rules go with it', async () => {
    const id = await k.role('in-use');
    const user = await k.user('role-user');
    const project = await k.project('role-project');
    const reader = await k.roleId('reader');
    await k.grant(`/projects/${project}/users/${user}/roles/${id}`);
    expect((await t.request('PUT', `${V3}/roles/${id}/implies/${reader}`)).status).toBe(201);
    expect((await t.request('DELETE', `${V3}/roles/${id}`)).status).toBe(204);
    expectError(await t.request('GET', `${V3}/roles/${id}`), 404, `Could not find role: ${id}.`);
    expectError(await t.request('DELETE', `${V3}/roles/${id}`), 404, `Could not find role: ${id}.`);
    const grants = await t.request('GET', `${V3}/projects/${project}/users/${user}/roles`);
    expect(grants.body.roles).toEqual([]);
    const assignments = await t.request('GET', `${V3}/role_assignments?role.id=${id}`);
    expect(assignments.body.role_assignments).toEqual([]);
    const rules = await t.request('GET', `${V3}/role_inferences`);
    expect(JSON.stringify(rules.body)).not.toContain(id);
  });

  it('checks policy before existence on GET/PATCH/DELETE (docs/compatibility.md §1.1)', async () => {
    const nobody = await t.token('nobody', { project: 'p-none' });
    for (const [method, action] of [['GET', 'get_role'], ['PATCH', 'update_role'], ['DELETE', 'delete_role']] as const) {
      const body = method === 'PATCH' ? { body: { role: { name: 'x' } } } : {};
      const res = await t.request(method, `${V3}/roles/does-not-exist`, { token: nobody, ...body });
      expectError(res, 403, `You are not authorized to perform the requested action: identity:${action}.`);
    }
  });
});
