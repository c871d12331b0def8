/**
 * Issue 4, end to end: deleting a user or a registered resource cleans up the locks that hang
 * on it. Everything is set up through the public APIs (Keystone directory and grants, registry,
 * Traffic Ops, /admin/lock, Manila) and the effect is read back through the lock APIs and AuthZEN.
 *
 * What happens to each kind of lock when its user is deleted (docs/compatibility.md §6.3: "Deleting a CDN or a
 * user cascades to cdn_locks"):
 *   - CDN locks the user holds are deleted; the user leaves the shared list of others' locks.
 *   - Route locks (/admin/lock) the user holds are deleted: only their holder could release them
 *     (§4.4, §7 S-2), so they would otherwise stand for ever.
 *   - Manila locks are kept. They belong to the project (§2.2: `project_id` decides visibility,
 *     §2.4: an admin or service may still update or delete them), and §6.3 names no cascade for
 *     them; upstream Manila keeps a lock when its Keystone user goes away.
 * Deleting a registered resource removes the Manila locks on it (there is nothing left to lock).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { KeystoneClient, V3 } from '../keystone/keystone-client.js';
import { lock, LOCKS, manila, share } from '../manila/manila-fixtures.js';

const CDN_LOCKS = '/api/4.0/cdn_locks';

describe('lock clean-up when a user or a resource is deleted', () => {
  let t: TestApp;
  let ks: KeystoneClient;
  let p1: string;
  const id: Record<'leo' | 'olga' | 'mike' | 'nora', string> = { leo: '', olga: '', mike: '', nora: '' };
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    ks = new KeystoneClient(t);
    p1 = await ks.project('p1');
    for (const name of Object.keys(id) as (keyof typeof id)[]) {
      id[name] = await ks.user(name);
      // Traffic Ops operations (CDN-LOCK:CREATE) and, through manager ⇒ member, manage-locks.
      await ks.grant(`/system/users/${id[name]}/roles/${await ks.roleId('manager')}`);
      tokens[name] = await t.token(id[name]);
    }
    // leo and mike are members of p1: Manila locks, and update/delete on p1's resources.
    for (const name of ['leo', 'mike'] as const) await ks.grant(`/projects/${p1}/users/${id[name]}/roles/${await ks.roleId('member')}`);
    for (const cdn of ['cdn-leo', 'cdn-olga']) await ks.register('cdn', cdn, p1);
    await ks.register('vms', '5', p1);
  });
  afterAll(async () => t.close());

  const cdnLock = async (cdn: string) => (await t.request('GET', `${CDN_LOCKS}?cdn=${cdn}`)).body.response as any[];

  it('deletes the user’s CDN and route locks, takes them off shared lists, and keeps their Manila lock', async () => {
    // leo's own hard CDN lock, and a share of olga's.
    const own = await t.request('POST', CDN_LOCKS, { token: tokens.leo, body: { cdn: 'cdn-leo', soft: false } });
    expect(own.status, own.text).toBe(201);
    const shared = await t.request('POST', CDN_LOCKS, { token: tokens.olga, body: { cdn: 'cdn-olga', soft: false, sharedUserNames: ['leo', 'mike'] } });
    expect(shared.status, shared.text).toBe(201);
    // A route lock and a Manila lock.
    const routeLock = await t.request('POST', '/admin/lock', { headers: { Cookie: `refreshToken=${tokens.leo}` }, body: { route: 'vms', id: '5' } });
    expect(routeLock.body).toEqual({ data: 'Success', code: 200 });
    const shareId = await share(t, p1);
    const manilaLock = await lock(t, await t.token(id.leo, { project: p1 }), shareId, { lock_reason: 'keep' });
    expect(manilaLock.user_id).toBe(id.leo);

    // Before: the locks bite.
    expect(await ks.decide(id.mike, 'snapshot', 'cdn', 'cdn-leo')).toBe(false); // leo's lock
    expect(await ks.decide(id.leo, 'snapshot', 'cdn', 'cdn-olga')).toBe(true); // shared with leo
    expect(await ks.decide(id.nora, 'snapshot', 'cdn', 'cdn-olga')).toBe(false); // not shared
    expect(await ks.decide(id.mike, 'update', 'vms', '5')).toBe(false); // leo's route lock
    expect(await ks.decide(id.mike, 'delete', 'share', shareId)).toBe(false); // leo's Manila lock
    expect((await cdnLock('cdn-olga'))[0].sharedUserNames).toEqual(['leo', 'mike']);

    expect((await t.request('DELETE', `${V3}/users/${id.leo}`)).status).toBe(204);
    expect((await t.request('GET', `${V3}/users/${id.leo}`)).status).toBe(404);

    // leo's CDN lock is gone: the list is empty and another manager may snapshot again.
    expect(await cdnLock('cdn-leo')).toEqual([]);
    expect((await t.request('GET', CDN_LOCKS)).body.response.map((l: any) => l.cdn)).toEqual(['cdn-olga']);
    expect(await ks.decide(id.mike, 'snapshot', 'cdn', 'cdn-leo')).toBe(true);
    // olga's lock stands, without leo in its shared list.
    expect(await cdnLock('cdn-olga')).toEqual([
      expect.objectContaining({ cdn: 'cdn-olga', userName: 'olga', soft: false, sharedUserNames: ['mike'] }),
    ]);
    expect(await ks.decide(id.mike, 'snapshot', 'cdn', 'cdn-olga')).toBe(true);
    expect(await ks.decide(id.nora, 'snapshot', 'cdn', 'cdn-olga')).toBe(false);
    expect(await ks.decide(id.leo, 'snapshot', 'cdn', 'cdn-olga')).toBe(false);

    // leo's route lock is gone: mike may update, and may take the lock himself.
    expect(await ks.decide(id.mike, 'update', 'vms', '5')).toBe(true);
    const taken = await t.request('POST', '/admin/lock', { headers: { Cookie: `refreshToken=${tokens.mike}` }, body: { route: 'vms', id: '5' } });
    expect(taken.body).toEqual({ data: 'Success', code: 200 });
    const released = await t.request('DELETE', '/admin/remove-lock', { headers: { Cookie: `refreshToken=${tokens.mike}` }, body: { route: 'vms', id: '5' } });
    expect(released.status).toBe(200);

    // The Manila lock is kept (it belongs to project p1), still names leo, and still blocks delete.
    const kept = await manila(t, 'GET', `${LOCKS}/${manilaLock.id}`);
    expect(kept.status).toBe(200);
    expect(kept.body.resource_lock).toMatchObject({ user_id: id.leo, project_id: p1, resource_id: shareId, lock_reason: 'keep' });
    expect(await ks.decide(id.mike, 'delete', 'share', shareId)).toBe(false);
    // A project member cannot remove another user's lock; an admin can (docs/compatibility.md §2.4).
    const byMember = await manila(t, 'DELETE', `${LOCKS}/${manilaLock.id}`, { token: await t.token(id.mike, { project: p1 }) });
    expect(byMember.status).toBe(403);
    expect((await manila(t, 'DELETE', `${LOCKS}/${manilaLock.id}`)).status).toBe(204);
    expect(await ks.decide(id.mike, 'delete', 'share', shareId)).toBe(true);
  });

  it('removes the Manila locks on a registered resource when it is deleted', async () => {
    const shareId = await share(t, p1);
    const mikeInP1 = await t.token(id.mike, { project: p1 });
    const first = await lock(t, mikeInP1, shareId, { lock_reason: 'one' });
    const second = await lock(t, mikeInP1, shareId, { lock_reason: 'two' });
    const other = await lock(t, mikeInP1, await share(t, p1), { lock_reason: 'elsewhere' });
    expect(await ks.decide(id.mike, 'delete', 'share', shareId)).toBe(false);

    expect((await t.request('DELETE', `/v1/resources/share/${shareId}`)).status).toBe(204);

    for (const gone of [first, second]) expect((await manila(t, 'GET', `${LOCKS}/${gone.id}`)).status).toBe(404);
    const left = await manila(t, 'GET', `${LOCKS}?all_projects=1`);
    expect(left.status).toBe(200);
    expect(left.body.resource_locks.map((l: any) => l.id)).toEqual([other.id]); // a lock on another share is untouched
    // Registered again under the same id, the share carries no lock.
    await ks.register('share', shareId, p1);
    expect(await ks.decide(id.mike, 'delete', 'share', shareId)).toBe(true);
  });

  it('keeps the Manila locks of a share when a resource of another type with the same id is deleted', async () => {
    const shareId = await share(t, p1);
    const kept = await lock(t, await t.token(id.mike, { project: p1 }), shareId);
    await ks.register('vms', shareId, p1); // another app's resource that happens to use the same id

    expect((await t.request('DELETE', `/v1/resources/vms/${shareId}`)).status).toBe(204);

    expect((await manila(t, 'GET', `${LOCKS}/${kept.id}`)).status).toBe(200);
    expect(await ks.decide(id.mike, 'delete', 'share', shareId)).toBe(false);
  });
});
