/** `GET /v3/role_assignments` (docs/compatibility.md §1.7): filters, direct and effective modes, names, errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { expectError, KeystoneClient, V3 } from './keystone-client.js';

describe('role assignments', () => {
  let t: TestApp;
  let k: KeystoneClient;
  const id: Record<string, string> = {};
  const list = async (query: string, token?: string) => {
    const res = await t.request('GET', `${V3}/role_assignments?${query}`, token ? { token } : {});
    expect(res.status, res.text).toBe(200);
    return res.body.role_assignments as any[];
  };
  /** `role@scope` strings, sorted, for compact comparisons. */
  const summary = (entries: any[]) =>
    entries
      .map((e) => {
        const scope = e.scope.project ? `p:${e.scope.project.id}` : e.scope.domain ? `d:${e.scope.domain.id}` : 'system';
        const who = e.user ? `u:${e.user.id}` : `g:${e.group.id}`;
        const inh = e.scope['OS-INHERIT:inherited_to'] ? '+inh' : '';
        return `${who} ${name(e.role.id)}@${scope}${inh}`;
      })
      .sort();
  const name = (roleId: string) => Object.entries(id).find(([, v]) => v === roleId)?.[0] ?? roleId;

  beforeAll(async () => {
    t = await startTestApp();
    k = new KeystoneClient(t);
    id.member = await k.roleId('member');
    id.reader = await k.roleId('reader');
    id.manager = await k.roleId('manager');
    id.admin = await k.roleId('admin');
    id.observer = await k.role('observer');
    id.dr = await k.role('dr', { domain_id: 'default' });
    expect((await t.request('PUT', `${V3}/roles/${id.dr}/implies/${id.observer}`)).status).toBe(201);
    id.P = await k.project('P');
    id.C = await k.project('C', { parent_id: id.P });
    id.G = await k.project('G', { parent_id: id.C });
    id.acme = await k.domain('acme');
    id.Q = await k.project('Q', { domain_id: id.acme });
    id.u1 = await k.user('u1');
    id.u2 = await k.user('u2');
    id.grp = await k.group('grp');
    await k.addMember(id.grp, id.u1);
    await k.addMember(id.grp, id.u2);
    await k.grant(`/projects/${id.P}/users/${id.u1}/roles/${id.member}`);
    await k.grant(`/domains/default/groups/${id.grp}/roles/${id.reader}`);
    await k.grant(`/OS-INHERIT/domains/default/users/${id.u2}/roles/${id.member}/inherited_to_projects`);
    await k.grant(`/OS-INHERIT/projects/${id.P}/users/${id.u1}/roles/${id.reader}/inherited_to_projects`);
    await k.grant(`/projects/${id.P}/users/${id.u1}/roles/${id.dr}`);
    await k.grant(`/projects/${id.C}/users/${id.u2}/roles/${id.reader}`);
    await k.grant(`/system/users/${id.u2}/roles/${id.reader}`);
    await k.grant(`/projects/${id.Q}/users/${id.u2}/roles/${id.member}`);
  });
  afterAll(async () => t.close());

  const u = (n: string) => `u:${id[n]}`;
  const g = (n: string) => `g:${id[n]}`;
  const p = (n: string) => `p:${id[n]}`;

  describe('direct mode', () => {
    it('lists a user\'s own stored grants, inherited ones marked, no group grants', async () => {
      expect(summary(await list(`user.id=${id.u1}`))).toEqual(
        [`${u('u1')} member@${p('P')}`, `${u('u1')} reader@${p('P')}+inh`, `${u('u1')} dr@${p('P')}`].sort(),
      );
    });

    it('scope.system=all lists system grants only; a project or domain scope excludes them', async () => {
      const system = await list('scope.system=all');
      expect(summary(system)).toEqual([`u:admin admin@system`, `${u('u2')} reader@system`].sort());
      expect(system.find((e) => e.user.id === id.u2).scope).toEqual({ system: { all: true } });
      expect(system.find((e) => e.user.id === id.u2).links.assignment).toBe(
        `${t.url}${V3}/system/users/${id.u2}/roles/${id.reader}`,
      );
      expect(summary(await list('scope.system=yes')).length).toBeGreaterThan(2); // only `all` filters
      expect(summary(await list(`scope.domain.id=default`))).toEqual([`${g('grp')} reader@d:default`, `${u('u2')} member@d:default+inh`].sort());
    });

    it('group.id lists the group\'s grants as group entries', async () => {
      const entries = await list(`group.id=${id.grp}`);
      expect(entries).toEqual([
        {
          role: { id: id.reader },
          group: { id: id.grp },
          scope: { domain: { id: 'default' } },
          links: { assignment: `${t.url}${V3}/domains/default/groups/${id.grp}/roles/${id.reader}` },
        },
      ]);
    });

    it('scope.project.id, with and without include_subtree', async () => {
      expect(summary(await list(`scope.project.id=${id.C}`))).toEqual([`${u('u2')} reader@${p('C')}`]);
      expect(summary(await list(`scope.project.id=${id.P}&include_subtree=true`))).toEqual(
        [`${u('u1')} member@${p('P')}`, `${u('u1')} reader@${p('P')}+inh`, `${u('u1')} dr@${p('P')}`, `${u('u2')} reader@${p('C')}`].sort(),
      );
    });

    it('scope.OS-INHERIT:inherited_to: `projects` lists inherited grants only, any other value non-inherited only', async () => {
      expect(summary(await list('scope.OS-INHERIT:inherited_to=projects'))).toEqual(
        [`${u('u2')} member@d:default+inh`, `${u('u1')} reader@${p('P')}+inh`].sort(),
      );
      const plain = summary(await list('scope.OS-INHERIT:inherited_to=nothing'));
      expect(plain.some((s) => s.endsWith('+inh'))).toBe(false);
      expect(plain).toContain(`${u('u1')} member@${p('P')}`);
    });

    it('role.id filters', async () => {
      expect(summary(await list(`role.id=${id.dr}`))).toEqual([`${u('u1')} dr@${p('P')}`]);
    });
  });

  describe('effective mode', () => {
    it('expands groups, inheritance and implied roles, strips domain roles, never lists system grants', async () => {
      const entries = await list(`user.id=${id.u1}&effective`);
      expect(summary(entries)).toEqual(
        [
          `${u('u1')} member@${p('P')}`,
          `${u('u1')} reader@${p('P')}`, // member ⇒ reader
          `${u('u1')} observer@${p('P')}`, // dr (stripped) ⇒ observer
          `${u('u1')} reader@d:default`, // via group grp
          `${u('u1')} reader@${p('C')}+inh`, // OS-INHERIT from P
          `${u('u1')} reader@${p('G')}+inh`,
        ].sort(),
      );
      const viaGroup = entries.find((e) => e.scope.domain);
      expect(viaGroup.links).toEqual({
        assignment: `${t.url}${V3}/domains/default/groups/${id.grp}/roles/${id.reader}`,
        membership: `${t.url}${V3}/groups/${id.grp}/users/${id.u1}`,
      });
      const inherited = entries.find((e) => e.scope.project?.id === id.G);
      expect(inherited.links.assignment).toBe(
        `${t.url}${V3}/OS-INHERIT/projects/${id.P}/users/${id.u1}/roles/${id.reader}/inherited_to_projects`,
      );
      const implied = entries.find((e) => e.role.id === id.reader && e.scope.project?.id === id.P);
      expect(implied.links).toEqual({
        assignment: `${t.url}${V3}/projects/${id.P}/users/${id.u1}/roles/${id.member}`,
        prior_role: `${t.url}${V3}/prior_role/${id.reader}/implies/${id.member}`,
      });
      const observer = entries.find((e) => e.role.id === id.observer);
      expect(observer.links.assignment).toBe(`${t.url}${V3}/projects/${id.P}/users/${id.u1}/roles/${id.dr}`);
    });

    it('?effective=false, ?effective= and ?effective=1 all mean effective; only 0 does not', async () => {
      const on = summary(await list(`user.id=${id.u1}&effective`));
      for (const v of ['false', '', '1', 'true']) expect(summary(await list(`user.id=${id.u1}&effective=${v}`))).toEqual(on);
      expect(summary(await list(`user.id=${id.u1}&effective=0`))).toHaveLength(3);
    });

    it('a project filter shows what a project-scoped token would carry', async () => {
      expect(summary(await list(`user.id=${id.u2}&scope.project.id=${id.G}&effective`))).toEqual(
        [`${u('u2')} member@${p('G')}+inh`, `${u('u2')} reader@${p('G')}+inh`].sort(),
      );
      expect(summary(await list(`user.id=${id.u2}&scope.project.id=${id.C}&effective`))).toEqual(
        [`${u('u2')} member@${p('C')}+inh`, `${u('u2')} reader@${p('C')}+inh`, `${u('u2')} reader@${p('C')}`].sort(),
      );
    });

    it('without user.id, group grants expand to every member; role.id matches implied roles', async () => {
      const readers = summary(await list(`role.id=${id.reader}&scope.domain.id=default&effective`));
      expect(readers).toEqual([`${u('u1')} reader@d:default`, `${u('u2')} reader@d:default`].sort());
      const observers = await list(`role.id=${id.observer}&effective`);
      expect(summary(observers)).toEqual([`${u('u1')} observer@${p('P')}`]);
      expect((await list(`role.id=${id.dr}&effective`)).length).toBe(0);
    });

    it('scope.system=all with effective is ignored: still no system entries (K-3)', async () => {
      const entries = summary(await list(`user.id=${id.u2}&scope.system=all&effective`));
      expect(entries.length).toBeGreaterThan(0);
      expect(entries.some((s) => s.includes('@system'))).toBe(false);
    });

    it('a domain filter never includes inherited grants', async () => {
      const entries = summary(await list(`scope.domain.id=default&effective`));
      expect(entries.every((s) => s.includes('@d:default') && !s.endsWith('+inh'))).toBe(true);
    });
  });

  it('include_names adds names and owning domains', async () => {
    const entries = await list(`user.id=${id.u1}&scope.project.id=${id.P}&include_names`);
    const member = entries.find((e) => e.role.id === id.member);
    expect(member.role).toEqual({ id: id.member, name: 'member' });
    expect(member.user).toEqual({ id: id.u1, name: 'u1', domain: { id: 'default', name: 'Default' } });
    expect(member.scope.project).toEqual({ id: id.P, name: 'P', domain: { id: 'default', name: 'Default' } });
    const dr = entries.find((e) => e.role.id === id.dr);
    expect(dr.role).toEqual({ id: id.dr, name: 'dr', domain: { id: 'default', name: 'Default' } });
    const group = (await list(`group.id=${id.grp}&include_names=1`))[0];
    expect(group.group).toEqual({ id: id.grp, name: 'grp', domain: { id: 'default', name: 'Default' } });
    expect(group.scope.domain).toEqual({ id: 'default', name: 'Default' });
    expect((await list(`group.id=${id.grp}&include_names=0`))[0].group).toEqual({ id: id.grp });
  });

  it('a user missing from the directory gets empty names', async () => {
    await t.portcullis.context.stores.grants.add({
      actorType: 'user', actorId: 'ghost', targetType: 'project', targetId: id.Q!, roleId: id.reader!, inherited: false,
    });
    const ghost = (await list('user.id=ghost&include_names'))[0];
    expect(ghost.user).toEqual({ id: 'ghost', name: '', domain: { id: '', name: '' } });
  });

  it('collection links: self is the request URL', async () => {
    const res = await t.request('GET', `${V3}/role_assignments?user.id=${id.u1}`);
    expect(res.body.links).toEqual({ self: `${t.url}${V3}/role_assignments?user.id=${id.u1}`, previous: null, next: null });
    expect((await t.request('HEAD', `${V3}/role_assignments`)).status).toBe(200);
  });

  it.each([
    ['include_subtree', 'scope.project.id must be specified if include_subtree is also specified'],
    ['include_subtree&scope.domain.id=default', 'scope.project.id must be specified if include_subtree is also specified'],
    ['scope.domain.id=default&scope.project.id=x', 'Specify a domain or project, not both'],
    ['scope.domain.id=default&scope.system=all', 'Specify system or domain, not both'],
    ['scope.project.id=x&scope.system=all', 'Specify system or project, not both'],
    ['user.id=a&group.id=b', 'Specify a user or group, not both'],
    ['group.id=b&effective', 'Combining effective and group filter will always result in an empty list.'],
    [
      'effective&scope.OS-INHERIT:inherited_to=projects&scope.domain.id=default',
      'Combining effective, domain and inherited filters will always result in an empty list.',
    ],
  ])('400 for %s', async (query, message) => {
    expectError(await t.request('GET', `${V3}/role_assignments?${query}`), 400, message);
  });

  it('include_subtree needs an existing project (404)', async () => {
    expectError(
      await t.request('GET', `${V3}/role_assignments?scope.project.id=nowhere&include_subtree`),
      404,
      'Could not find project: nowhere.',
    );
    expect(await list('scope.project.id=nowhere')).toEqual([]);
  });

  it('policy: domain readers list their own domain only, and the result is cut to it', async () => {
    const dora = await k.user('dora', id.acme);
    await k.grant(`/domains/${id.acme}/users/${dora}/roles/${id.reader}`);
    const token = await t.token(dora, { domain: id.acme });
    expect(summary(await list(`scope.project.id=${id.Q}`, token))).toEqual([`${u('u2')} member@${p('Q')}`, `u:ghost reader@${p('Q')}`].sort());
    expect(summary(await list(`scope.domain.id=${id.acme}`, token))).toEqual([`u:${dora} reader@d:${id.acme}`]);
    expectError(
      await t.request('GET', `${V3}/role_assignments?scope.domain.id=default`, { token }),
      403,
      'You are not authorized to perform the requested action: identity:list_role_assignments.',
    );
    expectError(
      await t.request('GET', `${V3}/role_assignments`, { token }),
      403,
      'You are not authorized to perform the requested action: identity:list_role_assignments.',
    );
    expectError(
      await t.request('GET', `${V3}/role_assignments?scope.project.id=${id.P}&include_subtree`, { token }),
      403,
      'You are not authorized to perform the requested action: identity:list_role_assignments_for_tree.',
    );
  });
});
