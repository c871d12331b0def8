/**
 * GET /v1/locks: the three lock families in one list, each family's visibility applied, with
 * whether the caller may release each lock through its family's API; and that API then agrees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, grantSystemRole, register } from '../../helpers/directory-fixtures.js';
import { addProject, grantRole } from '../../helpers/seed.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

const SHARE = '0f6f1f3e-2b7c-4d1e-9a55-6b1d2c3e4f50';
const V = { 'X-OpenStack-Manila-API-Version': '2.81' };

describe('GET /v1/locks', () => {
  let t: TestApp;
  let mia: string; // member of p1: holds the Manila lock and a route lock
  let rex: string; // system reader
  let otto: string; // member of p1, holds nothing
  let manilaId: string;

  beforeAll(async () => {
    t = await startTestApp();
    await addProject(t, 'p1');
    for (const id of ['mia', 'otto']) {
      await addUser(t, { id });
      await grantRole(t, { user: id }, 'member', { project: 'p1' });
    }
    await addUser(t, { id: 'rex' });
    await grantSystemRole(t, 'rex', 'reader');
    [mia, rex, otto] = await Promise.all([t.token('mia', { project: 'p1' }), t.token('rex', { system: true }), t.token('otto', { project: 'p1' })]);
    await register(t, 'share', SHARE, { project_id: 'p1' });
    await register(t, 'cdn', 'cdn-a');
    const lock = await t.request('POST', '/share/v2/resource-locks', {
      token: mia,
      headers: V,
      body: { resource_lock: { resource_id: SHARE, resource_action: 'delete', lock_reason: 'keep it' } },
    });
    expect(lock.status).toBe(200);
    manilaId = lock.body.resource_lock.id;
    expect((await t.request('POST', '/admin/lock', { token: mia, body: { route: 'volume', id: '7' } })).status).toBe(200);
    expect((await t.request('POST', '/api/4.0/cdn_locks', { body: { cdn: 'cdn-a', message: 'freeze', soft: false } })).status).toBe(201);
  });
  afterAll(() => t.close());

  const list = async (token?: string, q = '') => {
    const res = await t.request('GET', `/v1/locks${q}`, token === undefined ? {} : { token });
    expect(res.status).toBe(200);
    return res.body.locks as any[];
  };
  const summary = (locks: any[]) => locks.map((l) => [l.id, l.releasable]);

  it('shows an admin every lock of every family, in the ids and kinds decisions cite', async () => {
    const locks = await list();
    expect(locks).toEqual([
      expect.objectContaining({
        id: manilaId,
        family: 'manila',
        kind: 'manila:delete',
        resource: { type: 'share', id: SHARE },
        holder: { id: 'mia', name: 'mia' },
        reason: 'keep it',
        details: { project_id: 'p1', lock_context: 'user', resource_action: 'delete' },
      }),
      expect.objectContaining({ id: 'cdn_lock:cdn-a', family: 'cdn', kind: 'cdn:hard', resource: { type: 'cdn', id: 'cdn-a' }, holder: { id: 'admin', name: 'admin' }, reason: 'freeze' }),
      expect.objectContaining({ id: 'route:volume:7', family: 'route', kind: 'route', resource: { type: 'volume', id: '7' }, holder: { id: 'mia', name: 'mia' } }),
    ]);
    // Admins delete any Manila lock and any CDN lock; route locks only by their holder (no override).
    expect(summary(locks)).toEqual([
      [manilaId, true],
      ['cdn_lock:cdn-a', true],
      ['route:volume:7', false],
    ]);
    const decision = await t.request('POST', '/access/v1/evaluation', {
      body: { subject: { type: 'user', id: 'otto' }, action: { name: 'delete' }, resource: { type: 'share', id: SHARE } },
    });
    expect(decision.body.context.locks.map((l: { id: string; kind: string }) => [l.id, l.kind])).toEqual([[manilaId, 'manila:delete']]);
  });

  it("applies each family's visibility and release rules to other callers", async () => {
    // mia: her project's Manila locks (hers: releasable), CDN locks (CDN:READ comes with reader,
    // which member implies; deleting needs manager), her own route lock.
    expect(summary(await list(mia))).toEqual([
      [manilaId, true],
      ['cdn_lock:cdn-a', false],
      ['route:volume:7', true],
    ]);
    // otto, same project: may not delete another user's Manila lock; does not see mia's route lock.
    expect(summary(await list(otto))).toEqual([
      [manilaId, false],
      ['cdn_lock:cdn-a', false],
    ]);
    // A system reader: every CDN and route lock, Manila locks need a project scope; releases nothing.
    expect(summary(await list(rex))).toEqual([
      ['cdn_lock:cdn-a', false],
      ['route:volume:7', false],
    ]);
  });

  it('filters by family, resource and holder', async () => {
    expect(summary(await list(undefined, '?family=route'))).toEqual([['route:volume:7', false]]);
    expect(summary(await list(undefined, '?resource_type=cdn&resource_id=cdn-a'))).toEqual([['cdn_lock:cdn-a', true]]);
    expect((await list(undefined, '?holder=mia')).map((l) => l.id)).toEqual([manilaId, 'route:volume:7']);
    expect(await list(undefined, '?holder=nobody')).toEqual([]);
  });

  it('refuses unknown filters and families with 400', async () => {
    expect((await t.request('GET', '/v1/locks?family=nfs')).status).toBe(400);
    expect((await t.request('GET', '/v1/locks?owner=mia')).status).toBe(400);
    expect((await t.request('GET', '/v1/locks', { token: null })).status).toBe(401);
  });

  it('says releasable exactly when the family API releases it', async () => {
    expect((await t.request('DELETE', `/share/v2/resource-locks/${manilaId}`, { token: otto, headers: V })).status).toBe(403);
    expect((await t.request('DELETE', '/admin/remove-lock', { body: { route: 'volume', id: '7' } })).status).toBe(403);
    expect((await t.request('DELETE', '/admin/remove-lock', { token: mia, body: { route: 'volume', id: '7' } })).status).toBe(200);
    expect((await t.request('DELETE', `/share/v2/resource-locks/${manilaId}`, { token: mia, headers: V })).status).toBe(204);
    expect((await t.request('DELETE', '/api/4.0/cdn_locks?cdn=cdn-a')).status).toBe(200);
    expect(await list()).toEqual([]);
  });
});
