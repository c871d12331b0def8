/**
 * The point of the identity API: a grant, a group membership or an inference rule changes AuthZEN
 * decisions at once, and revoking it takes the permission away again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { KeystoneClient, V3 } from './keystone-client.js';

describe('Keystone writes change decisions immediately', () => {
  let t: TestApp;
  let k: KeystoneClient;
  let p1: string;
  let p2: string;
  let bob: string;
  beforeAll(async () => {
    t = await startTestApp();
    k = new KeystoneClient(t);
    p1 = await k.project('p1');
    p2 = await k.project('p2');
    bob = await k.user('bob');
    await k.register('vm', 'vm-1', p1);
    await k.register('vm', 'vm-2', p2);
  });
  afterAll(async () => t.close());

  it('a project grant allows bob on that project only, and revoking it denies again', async () => {
    const member = await k.roleId('member');
    expect(await k.decide(bob, 'delete', 'vm', 'vm-1')).toBe(false);
    await k.grant(`/projects/${p1}/users/${bob}/roles/${member}`);
    expect(await k.decide(bob, 'delete', 'vm', 'vm-1')).toBe(true);
    expect(await k.decide(bob, 'delete', 'vm', 'vm-2')).toBe(false);
    const del = await t.request('DELETE', `${V3}/projects/${p1}/users/${bob}/roles/${member}`);
    expect(del.status).toBe(204);
    expect(await k.decide(bob, 'delete', 'vm', 'vm-1')).toBe(false);
  });

  it('after PUT /v3/roles/{admin}/implies/{x} every admin holds x', async () => {
    const carol = await k.user('carol');
    const admin = await k.roleId('admin');
    const x = await k.role('quarantined');
    await k.grant(`/projects/${p2}/users/${carol}/roles/${admin}`);
    // A deny row for holders of x makes "holds x" visible in decisions (admins may do anything else).
    const rule = await t.request('POST', '/v1/policy/rules', {
      body: { ptype: 'p', values: ['role:quarantined', 'vm', 'purge', 'deny'] },
    });
    expect(rule.status).toBe(201);
    expect(await k.decide(carol, 'purge', 'vm', 'vm-2')).toBe(true);
    expect((await t.request('PUT', `${V3}/roles/${admin}/implies/${x}`)).status).toBe(201);
    expect(await k.decide(carol, 'purge', 'vm', 'vm-2')).toBe(false);
    const effective = await t.request('GET', `${V3}/role_assignments?user.id=${carol}&effective`);
    const implied = effective.body.role_assignments.find((a: any) => a.role.id === x);
    expect(implied.links.prior_role).toMatch(new RegExp(`/prior_role/${x}/implies/${admin}$`));
    expect((await t.request('DELETE', `${V3}/roles/${admin}/implies/${x}`)).status).toBe(204);
    expect(await k.decide(carol, 'purge', 'vm', 'vm-2')).toBe(true);
  });

  it('an implied role reaches decisions: granting x, then x implies member, allows delete', async () => {
    const dave = await k.user('dave');
    const x = await k.role('x-role');
    const member = await k.roleId('member');
    await k.grant(`/projects/${p1}/users/${dave}/roles/${x}`);
    expect(await k.decide(dave, 'delete', 'vm', 'vm-1')).toBe(false);
    expect((await t.request('PUT', `${V3}/roles/${x}/implies/${member}`)).status).toBe(201);
    expect(await k.decide(dave, 'delete', 'vm', 'vm-1')).toBe(true);
    expect((await t.request('DELETE', `${V3}/roles/${x}/implies/${member}`)).status).toBe(204);
    expect(await k.decide(dave, 'delete', 'vm', 'vm-1')).toBe(false);
  });

  it('a group membership carries the group grant, and leaving the group removes it', async () => {
    const erin = await k.user('erin');
    const ops = await k.group('ops');
    const member = await k.roleId('member');
    await k.grant(`/projects/${p2}/groups/${ops}/roles/${member}`);
    expect(await k.decide(erin, 'delete', 'vm', 'vm-2')).toBe(false);
    await k.addMember(ops, erin);
    expect(await k.decide(erin, 'delete', 'vm', 'vm-2')).toBe(true);
    expect((await t.request('DELETE', `${V3}/groups/${ops}/users/${erin}`)).status).toBe(204);
    expect(await k.decide(erin, 'delete', 'vm', 'vm-2')).toBe(false);
  });

  it('an OS-INHERIT grant on a parent reaches the child project, not the parent', async () => {
    const frank = await k.user('frank');
    const parent = await k.project('parent');
    const child = await k.project('child', { parent_id: parent });
    await k.register('vm', 'vm-parent', parent);
    await k.register('vm', 'vm-child', child);
    const member = await k.roleId('member');
    await k.grant(`/OS-INHERIT/projects/${parent}/users/${frank}/roles/${member}/inherited_to_projects`);
    expect(await k.decide(frank, 'delete', 'vm', 'vm-child')).toBe(true);
    expect(await k.decide(frank, 'delete', 'vm', 'vm-parent')).toBe(false);
  });

  it('deleting a role takes its grants away from decisions', async () => {
    const gina = await k.user('gina');
    const temp = await k.role('temp-role');
    const member = await k.roleId('member');
    expect((await t.request('PUT', `${V3}/roles/${temp}/implies/${member}`)).status).toBe(201);
    await k.grant(`/projects/${p1}/users/${gina}/roles/${temp}`);
    expect(await k.decide(gina, 'delete', 'vm', 'vm-1')).toBe(true);
    expect((await t.request('DELETE', `${V3}/roles/${temp}`)).status).toBe(204);
    expect(await k.decide(gina, 'delete', 'vm', 'vm-1')).toBe(false);
  });

  it('deleting a user removes its grants', async () => {
    const hal = await k.user('hal');
    await k.grant(`/projects/${p1}/users/${hal}/roles/${await k.roleId('member')}`);
    expect(await k.decide(hal, 'delete', 'vm', 'vm-1')).toBe(true);
    expect((await t.request('DELETE', `${V3}/users/${hal}`)).status).toBe(204);
    expect(await k.decide(hal, 'delete', 'vm', 'vm-1')).toBe(false);
    const list = await t.request('GET', `${V3}/role_assignments?user.id=${hal}`);
    expect(list.body.role_assignments).toEqual([]);
  });
});
