/**
 * identity:* permissions come from policies/identity.csv (docs/compatibility.md §1.8): who may do what by token
 * scope and role, and editing the policy (a stored rule, or the file) changes the answers.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { expectError, KeystoneClient, V3 } from './keystone-client.js';

const DENIED = (action: string) => `You are not authorized to perform the requested action: identity:${action}.`;

describe('default identity policy', () => {
  let t: TestApp;
  let k: KeystoneClient;
  let acme: string;
  let acmeProject: string;
  let acmeUser: string;
  let defaultProject: string;
  let managerToken: string;
  let managerId: string;
  beforeAll(async () => {
    t = await startTestApp();
    k = new KeystoneClient(t);
    acme = await k.domain('acme');
    acmeProject = await k.project('acme-p', { domain_id: acme });
    acmeUser = await k.user('acme-u', acme);
    defaultProject = await k.project('default-p');
    managerId = await k.user('mona', acme);
    await k.grant(`/domains/${acme}/users/${managerId}/roles/${await k.roleId('manager')}`);
    managerToken = await t.token(managerId, { domain: acme });
  });
  afterAll(async () => t.close());

  it('a user without roles may do nothing', async () => {
    const token = await t.token('nobody', { project: acmeProject });
    expectError(await t.request('GET', `${V3}/roles`, { token }), 403, DENIED('list_roles'));
    expectError(await t.request('POST', `${V3}/roles`, { token, body: { role: { name: 'x' } } }), 403, DENIED('create_role'));
    expectError(
      await t.request('POST', `${V3}/roles`, { token, body: { role: { name: 'x', domain_id: acme } } }),
      403,
      DENIED('create_domain_role'),
    );
    expectError(await t.request('GET', `${V3}/role_inferences`, { token }), 403, DENIED('list_role_inference_rules'));
    expectError(
      await t.request('PUT', `${V3}/projects/${acmeProject}/users/${acmeUser}/roles/${await k.roleId('member')}`, { token }),
      403,
      DENIED('create_grant'),
    );
  });

  it('admin on a project is a cloud admin (upstream admin_required ignores scope, K-5)', async () => {
    const pat = await k.user('pat');
    await k.grant(`/projects/${defaultProject}/users/${pat}/roles/${await k.roleId('admin')}`);
    const token = await t.token(pat, { project: defaultProject });
    expect((await t.request('POST', `${V3}/roles`, { token, body: { role: { name: 'made-by-pat' } } })).status).toBe(201);
  });

  it('a system reader reads everything and writes nothing', async () => {
    const sam = await k.user('sam');
    await k.grant(`/system/users/${sam}/roles/${await k.roleId('reader')}`);
    const token = await t.token(sam, { system: true });
    const member = await k.roleId('member');
    expect((await t.request('GET', `${V3}/roles`, { token })).status).toBe(200);
    expect((await t.request('GET', `${V3}/roles?domain_id=${acme}`, { token })).status).toBe(200);
    expect((await t.request('GET', `${V3}/roles/${member}`, { token })).status).toBe(200);
    expect((await t.request('GET', `${V3}/projects/${acmeProject}/users/${acmeUser}/roles`, { token })).status).toBe(200);
    expect((await t.request('GET', `${V3}/system/users/${sam}/roles`, { token })).status).toBe(200);
    expect((await t.request('GET', `${V3}/role_assignments`, { token })).status).toBe(200);
    expectError(await t.request('PATCH', `${V3}/roles/${member}`, { token, body: { role: { name: 'm' } } }), 403, DENIED('update_role'));
    expectError(await t.request('DELETE', `${V3}/roles/${member}`, { token }), 403, DENIED('delete_role'));
    expectError(await t.request('PUT', `${V3}/system/users/${sam}/roles/${member}`, { token }), 403, DENIED('create_system_grant_for_user'));
    expectError(await t.request('DELETE', `${V3}/system/users/${sam}/roles/${member}`, { token }), 403, DENIED('revoke_system_grant_for_user'));
    // The same reader role on a project-scoped token is not a system reader.
    const projectToken = await t.token(sam, { project: defaultProject });
    expectError(await t.request('GET', `${V3}/roles`, { token: projectToken }), 403, DENIED('list_roles'));
  });

  it('a domain manager hands out manager, member and reader in its own domain only', async () => {
    const member = await k.roleId('member');
    const admin = await k.roleId('admin');
    const grant = `${V3}/projects/${acmeProject}/users/${acmeUser}/roles`;
    expect((await t.request('PUT', `${grant}/${member}`, { token: managerToken })).status).toBe(204);
    expect((await t.request('DELETE', `${grant}/${member}`, { token: managerToken })).status).toBe(204);
    expectError(await t.request('PUT', `${grant}/${admin}`, { token: managerToken }), 403, DENIED('create_grant'));
    expectError(
      await t.request('PUT', `${V3}/projects/${defaultProject}/users/${acmeUser}/roles/${member}`, { token: managerToken }),
      403,
      DENIED('create_grant'),
    );
    expect((await t.request('GET', `${V3}/roles`, { token: managerToken })).status).toBe(200);
    expect((await t.request('GET', `${V3}/roles/${member}`, { token: managerToken })).status).toBe(200);
    expectError(await t.request('GET', `${V3}/roles/${admin}`, { token: managerToken }), 403, DENIED('get_role'));
    // manager ⇒ member ⇒ reader: the manager is also a domain reader.
    expect((await t.request('GET', grant, { token: managerToken })).status).toBe(200);
  });

  it('a stored deny rule (POST /v1/policy/rules) takes the permission away, and removing it gives it back', async () => {
    const member = await k.roleId('member');
    const grant = `${V3}/projects/${acmeProject}/users/${acmeUser}/roles/${member}`;
    const rule = { ptype: 'p2', values: [`user:${managerId}`, 'identity:create_grant', 'true', 'deny'] };
    expect((await t.request('POST', '/v1/policy/rules', { body: rule })).status).toBe(201);
    expectError(await t.request('PUT', grant, { token: managerToken }), 403, DENIED('create_grant'));
    expect((await t.request('DELETE', '/v1/policy/rules', { body: rule })).status).toBe(200);
    expect((await t.request('PUT', grant, { token: managerToken })).status).toBe(204);
  });
});

describe('editing policies/identity.csv', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'portcullis-policies-'));
    await cp(path.resolve('policies'), dir, { recursive: true });
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('changes who may do what', async () => {
    const file = path.join(dir, 'identity.csv');
    const original = await readFile(file, 'utf8');
    // Let any project member list roles, and stop system readers from listing role assignments.
    const edited = original
      .split('\n')
      .filter((line) => !line.startsWith("p2, role:reader, identity:list_role_assignments, \"r2.sub.system == 'all'\""))
      .concat(['p2, role:member, identity:list_roles, "r2.sub.project != \'\'", allow', ''])
      .join('\n');
    await writeFile(file, edited);
    const t = await startTestApp({ PORTCULLIS_POLICY_DIR: dir });
    try {
      const k = new KeystoneClient(t);
      const project = await k.project('edited');
      const mia = await k.user('mia');
      await k.grant(`/projects/${project}/users/${mia}/roles/${await k.roleId('member')}`);
      await k.grant(`/system/users/${mia}/roles/${await k.roleId('reader')}`);
      const projectToken = await t.token(mia, { project });
      expect((await t.request('GET', `${V3}/roles`, { token: projectToken })).status).toBe(200);
      const systemToken = await t.token(mia, { system: true });
      expectError(
        await t.request('GET', `${V3}/role_assignments`, { token: systemToken }),
        403,
        DENIED('list_role_assignments'),
      );
    } finally {
      await t.close();
    }
  });
});
