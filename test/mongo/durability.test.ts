/**
 * Durability (issue 6): write through the public APIs of a real server process (Keystone
 * directory, grants incl. an OS-INHERIT one, group membership, an implied-role rule; registry;
 * ManageIQ set_ownership; a stored policy rule; a Manila lock, a Traffic Ops CDN lock and a route
 * lock), SIGKILL the server, start a new one on the same database, and find every record again
 * through its API, with the same decisions.
 */
import { afterAll, expect, it } from 'vitest';
import { dropDatabase, freshDbName } from '../helpers/mongo-env.js';
import { ApiClient } from './api-client.js';
import { mongoUri, startServer, type ServerProcess } from './server-process.js';

const uri = mongoUri();
const dbName = freshDbName('durability');
const running: ServerProcess[] = [];

afterAll(async () => {
  await Promise.all(running.map((s) => s.kill('SIGKILL')));
  await dropDatabase(uri, dbName);
});

const NAMES = ['jdoe', 'eve', 'bob', 'carol', 'dana', 'frank', 'lena', 'mike', 'nina'] as const;
type Name = (typeof NAMES)[number];

it('keeps grants, memberships, implied roles, locks, ownership and policy rules across SIGKILL and restart', { timeout: 120000 }, async () => {
  const env = { MONGODB_URI: uri, MONGODB_DB: dbName, PORTCULLIS_SYNC_INTERVAL_MS: '200' };
  const first = await startServer(env);
  running.push(first);
  let api = new ApiClient(first);

  // Keystone: projects (one a child), users, a group with a member, grants, an implied role.
  const p1 = await api.project('p1');
  const parent = await api.project('parent');
  const child = await api.project('child', parent);
  const id = {} as Record<Name, string>;
  for (const name of NAMES) id[name] = await api.user(name);
  const ops = await api.group('ops');
  await api.addMember(ops, id.bob);
  await api.grant(`/projects/${p1}/groups/${ops}/roles/{role}`, 'member');
  await api.grant(`/OS-INHERIT/projects/${parent}/users/${id.dana}/roles/{role}/inherited_to_projects`, 'reader');
  const auditor = await api.role('auditor');
  await api.imply('auditor', 'reader');
  await api.grant(`/projects/${p1}/users/${id.frank}/roles/{role}`, 'auditor');
  for (const who of ['lena', 'mike', 'nina'] as const) await api.grant(`/system/users/${id[who]}/roles/{role}`, 'manager');

  // Registry, ManageIQ ownership, a stored policy rule.
  for (const vm of ['1', '2']) {
    await api.register('vms', vm, { project_id: p1 });
    await api.setOwnership('vms', vm, id.jdoe);
  }
  await api.register('vms', '3', { project_id: child });
  await api.register('vms', '4', { project_id: parent });
  const share = await api.share(p1, { owner: id.jdoe });
  await api.register('cdn', 'cdn-a');
  const rule = [`user:${id.carol}`, 'vms', 'reboot', 'allow'];
  await api.addRule(rule);

  // Locks, each taken by a user through their family's API.
  const bobInP1 = await api.token(id.bob, { project: p1 });
  expect(await api.routeLock(bobInP1, 'vms', '2')).toEqual({ status: 200, body: { data: 'Success', code: 200 } });
  const manilaLock = await api.manilaLock(bobInP1, share, 'year-end audit');
  await api.cdnLock(await api.token(id.lena), { cdn: 'cdn-a', soft: false, message: 'maintenance', sharedUserNames: ['nina'] });

  const questions: [Name, string, string, string, boolean][] = [
    ['jdoe', 'update', 'vms', '1', true], // owner through set_ownership
    ['eve', 'update', 'vms', '1', false], // stranger
    ['bob', 'update', 'vms', '1', true], // member of p1 through the group grant
    ['frank', 'read', 'vms', '1', true], // auditor implies reader
    ['frank', 'update', 'vms', '1', false], // ... and nothing more
    ['carol', 'reboot', 'vms', '1', true], // stored policy rule
    ['carol', 'update', 'vms', '1', false],
    ['dana', 'read', 'vms', '3', true], // OS-INHERIT reader on parent reaches the child
    ['dana', 'read', 'vms', '4', false], // ... but not the parent itself
    ['jdoe', 'update', 'vms', '2', false], // owner, but bob holds a route lock
    ['bob', 'update', 'vms', '2', true], // the lock holder
    ['jdoe', 'delete', 'share', share, false], // owner, but a Manila delete lock stands
    ['bob', 'delete', 'share', share, false], // it blocks its holder too
    ['bob', 'read', 'share', share, true], // reading is not locked
    ['lena', 'snapshot', 'cdn', 'cdn-a', true], // CDN lock holder
    ['nina', 'snapshot', 'cdn', 'cdn-a', true], // shared user
    ['mike', 'snapshot', 'cdn', 'cdn-a', false], // another manager: the foreign lock blocks
    ['mike', 'read', 'cdn', 'cdn-a', true],
  ];
  const decisions = (client: ApiClient) => Promise.all(questions.map(([who, act, type, rid]) => client.decide(id[who], act, type, rid)));
  const expected = questions.map((q) => q[4]);
  await expect.poll(() => decisions(api), { timeout: 5000, interval: 100 }).toEqual(expected);

  expect(await first.kill('SIGKILL')).toBeNull(); // killed by the signal: no exit code, no shutdown hook
  expect(first.proc.signalCode).toBe('SIGKILL');
  await expect(fetch(`${first.url}/healthz`)).rejects.toThrow(); // nothing answers there any more
  const second = await startServer(env);
  running.push(second);
  api = api.via(second);

  expect(await decisions(api)).toEqual(expected);

  // Every record reads back through its own API.
  await api.expect(204, 'GET', `/identity/v3/groups/${ops}/users/${id.bob}`);
  await api.expect(204, 'GET', `/identity/v3/projects/${p1}/groups/${ops}/roles/${await api.roleId('member')}`);
  await api.expect(204, 'GET', `/identity/v3/OS-INHERIT/projects/${parent}/users/${id.dana}/roles/${await api.roleId('reader')}/inherited_to_projects`);
  await api.expect(204, 'GET', `/identity/v3/projects/${p1}/users/${id.frank}/roles/${auditor}`);
  await api.expect(204, 'GET', `/identity/v3/system/users/${id.lena}/roles/${await api.roleId('manager')}`);
  const inference = await api.expect(200, 'GET', `/identity/v3/roles/${auditor}/implies/${await api.roleId('reader')}`);
  expect(inference.role_inference).toMatchObject({ prior_role: { id: auditor, name: 'auditor' }, implies: { name: 'reader' } });
  expect((await api.expect(200, 'GET', `/identity/v3/projects/${child}`)).project.parent_id).toBe(parent);
  expect(await api.owner('vms', '1')).toBe(id.jdoe);
  expect((await api.expect(200, 'GET', '/v1/policy')).rules).toContainEqual({ ptype: 'p', values: rule, source: 'store' });
  expect(await api.showManilaLock(manilaLock)).toMatchObject({
    user_id: id.bob,
    project_id: p1,
    lock_context: 'user',
    resource_type: 'share',
    resource_id: share,
    resource_action: 'delete',
    lock_reason: 'year-end audit',
  });
  expect(await api.cdnLocks('cdn-a')).toEqual([
    expect.objectContaining({ cdn: 'cdn-a', userName: 'lena', soft: false, message: 'maintenance', sharedUserNames: ['nina'] }),
  ]);
  // The route lock still stands: another user with manage-locks is refused, the holder confirmed.
  expect(await api.routeLock(await api.token(id.mike), 'vms', '2')).toEqual({ status: 409, body: { data: 'Conflict', code: 409 } });
  expect(await api.routeLock(bobInP1, 'vms', '2')).toEqual({ status: 200, body: { data: 'Success', code: 200 } });

  // Bootstrap ran once: a restart on a populated database does not add a second admin role.
  expect((await api.expect(200, 'GET', '/identity/v3/roles?name=admin')).roles).toHaveLength(1);
  const ready = await api.expect(200, 'GET', '/readyz');
  expect(ready.store).toEqual({ kind: 'mongodb', reachable: true });
});
