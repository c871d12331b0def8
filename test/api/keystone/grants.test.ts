/** Project, domain, system and OS-INHERIT grants (docs/compatibility.md §1.4, §1.5) and their errors (§1.9). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { expectError, KeystoneClient, V3 } from './keystone-client.js';

const MISSING = (r: string, a: string, t: string) =>
  `Could not find role assignment with role: ${r}, user or group: ${a}, project, domain, or system: ${t}.`;

describe('grants', () => {
  let t: TestApp;
  let k: KeystoneClient;
  let project: string;
  let user: string;
  let group: string;
  let member: string;
  beforeAll(async () => {
    t = await startTestApp();
    k = new KeystoneClient(t);
    project = await k.project('grant-project');
    user = await k.user('grant-user');
    group = await k.group('grant-group');
    member = await k.roleId('member');
  });
  afterAll(async () => t.close());

  const targets = () => [
    ['projects', project],
    ['domains', 'default'],
  ];
  const actors = () => [
    ['users', user],
    ['groups', group],
  ];

  it('PUT (idempotent), HEAD and GET check (204), list, DELETE, then check is 404: every target and actor', async () => {
    for (const [ts, tid] of targets()) {
      for (const [as, aid] of actors()) {
        const path = `${V3}/${ts}/${tid}/${as}/${aid}/roles`;
        expect((await t.request('PUT', `${path}/${member}`)).status).toBe(204);
        const again = await t.request('PUT', `${path}/${member}`);
        expect(again.status).toBe(204);
        expect(again.text).toBe('');
        expect((await t.request('HEAD', `${path}/${member}`)).status).toBe(204);
        const get = await t.request('GET', `${path}/${member}`);
        expect(get.status).toBe(204);
        expect(get.text).toBe('');
        const list = await t.request('GET', path);
        expect(list.status).toBe(200);
        expect(list.body.roles.map((r: any) => r.id)).toEqual([member]);
        expect(list.body.roles[0]).toMatchObject({ name: 'member', domain_id: null, options: { immutable: true } });
        expect(list.body.links).toEqual({ self: `${t.url}${path}`, previous: null, next: null });
        expect((await t.request('HEAD', path)).status).toBe(200);
        expect((await t.request('DELETE', `${path}/${member}`)).status).toBe(204);
        expectError(await t.request('GET', `${path}/${member}`), 404, MISSING(member, aid!, tid!));
        expect((await t.request('HEAD', `${path}/${member}`)).status).toBe(404);
        expectError(await t.request('DELETE', `${path}/${member}`), 404, MISSING(member, aid!, tid!));
        expect((await t.request('GET', path)).body.roles).toEqual([]);
      }
    }
  });

  it('404s name the missing role, user, group, project or domain', async () => {
    const base = `${V3}/projects/${project}/users/${user}/roles`;
    expectError(await t.request('PUT', `${base}/nope`), 404, 'Could not find role: nope.');
    expectError(await t.request('PUT', `${V3}/projects/${project}/users/ghost/roles/${member}`), 404, 'Could not find user: ghost.');
    expectError(await t.request('PUT', `${V3}/projects/${project}/groups/ghost/roles/${member}`), 404, 'Could not find group: ghost.');
    expectError(await t.request('PUT', `${V3}/projects/nowhere/users/${user}/roles/${member}`), 404, 'Could not find project: nowhere.');
    expectError(await t.request('PUT', `${V3}/domains/nowhere/users/${user}/roles/${member}`), 404, 'Could not find domain: nowhere.');
    expectError(await t.request('GET', `${V3}/projects/${project}/users/ghost/roles`), 404, 'Could not find user: ghost.');
    expect((await t.request('HEAD', `${base}/nope`)).status).toBe(404);
  });

  it('DELETE tolerates a deleted actor, so stale grants can be removed', async () => {
    const gone = await k.user('soon-gone');
    const path = `${V3}/projects/${project}/users/${gone}/roles/${member}`;
    await k.grant(path.slice(V3.length));
    // Delete the user through the store only, leaving its grant behind (as another tool might).
    await t.portcullis.context.stores.directory.users.delete(gone);
    expect((await t.request('DELETE', path)).status).toBe(204);
    expectError(await t.request('DELETE', path), 404, MISSING(member, gone, project));
  });

  it('a domain-specific role: only on its own domain and its projects (403), never on the system (400)', async () => {
    const acme = await k.domain('acme');
    const acmeProject = await k.project('acme-project', { domain_id: acme });
    const acmeUser = await k.user('acme-user', acme);
    const role = await k.role('acme-role', { domain_id: acme });
    expectError(
      await t.request('PUT', `${V3}/projects/${project}/users/${user}/roles/${role}`),
      403,
      `Project ${project} must be in the same domain as the role ${role} being assigned.`,
    );
    expectError(
      await t.request('PUT', `${V3}/domains/default/users/${user}/roles/${role}`),
      403,
      `Domain default must be in the same domain as the role ${role} being assigned.`,
    );
    expectError(
      await t.request('PUT', `${V3}/system/users/${user}/roles/${role}`),
      400,
      `Role ${role} is a domain-specific role. Unable to use a domain-specific role in a system assignment.`,
    );
    await k.grant(`/projects/${acmeProject}/users/${acmeUser}/roles/${role}`);
    await k.grant(`/domains/${acme}/users/${acmeUser}/roles/${role}`);
    expect((await t.request('GET', `${V3}/projects/${project}/users/${user}/roles`)).body.roles).toEqual([]);
  });

  it('system grants for users and groups', async () => {
    const reader = await k.roleId('reader');
    for (const [as, aid] of actors()) {
      const path = `${V3}/system/${as}/${aid}/roles`;
      expect((await t.request('PUT', `${path}/${reader}`)).status).toBe(204);
      expect((await t.request('PUT', `${path}/${reader}`)).status).toBe(204);
      expect((await t.request('HEAD', `${path}/${reader}`)).status).toBe(204);
      expect((await t.request('GET', `${path}/${reader}`)).status).toBe(204);
      const list = await t.request('GET', path);
      expect(list.body.roles.map((r: any) => r.name)).toEqual(['reader']);
      expect(list.body.links.self).toBe(`${t.url}${path}`);
      expect((await t.request('DELETE', `${path}/${reader}`)).status).toBe(204);
      expectError(await t.request('GET', `${path}/${reader}`), 404, MISSING(reader, aid!, 'system'));
      expectError(await t.request('DELETE', `${path}/${reader}`), 404, MISSING(reader, aid!, 'system'));
    }
    expectError(await t.request('PUT', `${V3}/system/users/ghost/roles/${reader}`), 404, 'Could not find user: ghost.');
    expectError(await t.request('PUT', `${V3}/system/groups/${group}/roles/nope`), 404, 'Could not find role: nope.');
  });

  it('OS-INHERIT grants on domains and projects are separate from plain grants', async () => {
    for (const [ts, tid] of targets()) {
      for (const [as, aid] of actors()) {
        const path = `${V3}/OS-INHERIT/${ts}/${tid}/${as}/${aid}/roles`;
        expect((await t.request('PUT', `${path}/${member}/inherited_to_projects`)).status).toBe(204);
        expect((await t.request('HEAD', `${path}/${member}/inherited_to_projects`)).status).toBe(204);
        expect((await t.request('GET', `${path}/${member}/inherited_to_projects`)).status).toBe(204);
        const list = await t.request('GET', `${path}/inherited_to_projects`);
        expect(list.body.roles.map((r: any) => r.id)).toEqual([member]);
        // The plain grant does not exist.
        expectError(await t.request('GET', `${V3}/${ts}/${tid}/${as}/${aid}/roles/${member}`), 404);
        const direct = await t.request('GET', `${V3}/role_assignments?scope.OS-INHERIT:inherited_to=projects&${as!.slice(0, -1)}.id=${aid}`);
        expect(direct.body.role_assignments).toHaveLength(1);
        expect(direct.body.role_assignments[0].scope['OS-INHERIT:inherited_to']).toBe('projects');
        expect(direct.body.role_assignments[0].links.assignment).toBe(`${t.url}${path}/${member}/inherited_to_projects`);
        expect((await t.request('DELETE', `${path}/${member}/inherited_to_projects`)).status).toBe(204);
        expectError(
          await t.request('DELETE', `${path}/${member}/inherited_to_projects`),
          404,
          MISSING(member, aid!, tid!),
        );
      }
    }
  });

  it('answers 405 for an unsupported method in the Keystone envelope', async () => {
    const res = await t.request('POST', `${V3}/projects/${project}/users/${user}/roles/${member}`);
    expectError(res, 405);
  });
});
