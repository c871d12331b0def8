/**
 * A port of manila-tempest-plugin 3.2's resource-lock API tests (test_resource_locks.py and
 * test_resource_locks_negative.py): the same scenarios and assertions, through a client that,
 * like the plugin's SharesV2Client, sends microversion 2.81 and asserts `x-compute-request-id` on
 * every successful response. Shares are registered in the registry (tempest creates them through
 * Manila's share API, which Portcullis does not serve); "the share cannot be deleted while locked"
 * is asked of the decision API, which is where Portcullis enforces it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestResponse } from '../../helpers/test-app.js';
import { LOCKS, grant, hex, manila, share } from './manila-fixtures.js';

const RESOURCE_LOCK_FIELDS = [
  'id',
  'resource_id',
  'resource_action',
  'resource_type',
  'user_id',
  'project_id',
  'lock_context',
  'created_at',
  'updated_at',
  'lock_reason',
  'links',
].sort();

const UUID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/;

/** The plugin's SharesV2Client, reduced to the calls these tests make. */
class SharesV2Client {
  constructor(
    private readonly t: TestApp,
    readonly userId: string,
    readonly projectId: string,
    private readonly token: string | undefined,
  ) {}

  private async call(method: string, path: string, body?: unknown, expected = [200]): Promise<any> {
    const res: TestResponse = await manila(this.t, method, path, {
      ...(this.token ? { token: this.token } : {}),
      ...(body !== undefined ? { body } : {}),
    });
    if (!expected.includes(res.status)) throw Object.assign(new Error(`${method} ${path}: ${res.status} ${res.text}`), { status: res.status });
    // verify_request_id
    expect(res.headers.get('x-compute-request-id'), 'Response is missing request ID').toBeTruthy();
    return res.body;
  }

  createResourceLock(resourceId: string, resourceType = 'share', extra: { resource_action?: string; lock_reason?: string } = {}) {
    return this.call('POST', LOCKS, { resource_lock: { resource_id: resourceId, resource_type: resourceType, ...extra } })
      .then((b) => b.resource_lock);
  }
  listResourceLocks(filters: Record<string, string | number> = {}) {
    const q = new URLSearchParams(Object.entries(filters).map(([k, v]): [string, string] => [k, String(v)])).toString();
    return this.call('GET', `${LOCKS}${q ? `?${q}` : ''}`);
  }
  getResourceLock(id: string) {
    return this.call('GET', `${LOCKS}/${id}`);
  }
  updateResourceLock(id: string, change: Record<string, string>) {
    return this.call('PUT', `${LOCKS}/${id}`, { resource_lock: change });
  }
  deleteResourceLock(id: string) {
    return this.call('DELETE', `${LOCKS}/${id}`, undefined, [204]);
  }
}

/** tempest's assertRaises(lib_exc.<Class>, ...): the call fails with that status. */
async function raises(status: number, call: Promise<unknown>) {
  await expect(call).rejects.toMatchObject({ status });
}

/** Python's str(datetime): `2023-07-17 22:11:48.144302`, from a lock's naive created_at. */
function pyTime(naive: string, deltaMicros: number): string {
  const micros = BigInt(Date.parse(`${naive.slice(0, 19)}Z`)) * 1000n + BigInt(naive.slice(20, 26)) + BigInt(deltaMicros);
  const d = new Date(Number(micros / 1000n));
  return `${d.toISOString().slice(0, 19).replace('T', ' ')}.${String(micros % 1000000n).padStart(6, '0')}`;
}

describe('manila-tempest-plugin: resource locks', () => {
  let t: TestApp;
  const project = hex();
  let client: SharesV2Client;
  let adminClient: SharesV2Client;

  /** create_user_and_get_client(project): a new member of the project. */
  async function newUserClient(): Promise<SharesV2Client> {
    const user = hex();
    await grant(t, user, 'member', { project });
    return new SharesV2Client(t, user, project, await t.token(user, { project }));
  }
  const createShare = () => share(t, project, { status: 'available' });

  beforeAll(async () => {
    t = await startTestApp();
    client = await newUserClient();
    adminClient = new SharesV2Client(t, 'admin', '', undefined);
  });
  afterAll(async () => t.close());

  describe('ResourceLockCRUTest', () => {
    let shareId: string;
    let lock: Record<string, any>;
    beforeAll(async () => {
      shareId = await createShare();
      lock = await client.createResourceLock(shareId);
    });

    it('test_list_resource_locks', async () => {
      const locks = (await client.listResourceLocks()).resource_locks;
      expect(Array.isArray(locks)).toBe(true);
      expect(locks.map((x: { id: string }) => x.id)).toContain(lock.id);
      expect(Object.keys(locks[0]).sort()).toEqual(RESOURCE_LOCK_FIELDS);
    });

    it('test_list_resource_locks_sorted_and_paginated', async () => {
      // Own share, so the locks other tests of this class add do not interleave.
      const s = await createShare();
      const first = await client.createResourceLock(s);
      await sleep(2);
      const lock2 = await client.createResourceLock(s);
      await sleep(2);
      const lock3 = await client.createResourceLock(s);
      const body = await client.listResourceLocks({ resource_id: s, sort_key: 'created_at', sort_dir: 'asc', limit: 2 });
      const actual = body.resource_locks.map((x: { id: string }) => x.id);
      expect(actual).toHaveLength(2);
      expect(actual).not.toContain(lock3.id);
      expect(actual).toEqual([first.id, lock2.id]);
    });

    it('test_list_resource_locks_filtered', async () => {
      const share2 = await createShare();
      await sleep(2);
      const share1Lock2 = await client.createResourceLock(shareId, 'share', { lock_reason: 'clemson tigers rule' });
      await sleep(2);
      const share2Lock = await client.createResourceLock(share2);

      const ids = async (filters: Record<string, string>) =>
        ((await client.listResourceLocks(filters)).resource_locks as { id: string; created_at: string }[]).map((l) => l.id);
      // by resource_type (the class's own locks on its share, plus share 2's)
      const byType = await ids({ resource_type: 'share' });
      for (const id of [lock.id, share1Lock2.id, share2Lock.id]) expect(byType).toContain(id);
      // by resource_id
      expect((await ids({ resource_id: shareId })).sort()).toEqual([lock.id, share1Lock2.id].sort());
      // by inexact lock reason
      expect(await ids({ 'lock_reason~': 'clemson' })).toEqual([share1Lock2.id]);

      // timestamp filters
      const time1 = pyTime(lock.created_at, -1_000_000);
      const time2 = pyTime(share2Lock.created_at, -1);
      const since = (await client.listResourceLocks({ created_since: time1 })).resource_locks as { id: string; created_at: string }[];
      expect(since.length).toBeGreaterThanOrEqual(3);
      expect(since.map((l) => l.id)).toEqual(expect.arrayContaining([lock.id, share1Lock2.id]));
      for (const l of since) expect(l.created_at >= time1.replace(' ', 'T')).toBe(true);
      const between = await ids({ created_since: time1, created_before: time2 });
      expect(between.length).toBeGreaterThanOrEqual(2);
      expect(between).toEqual(expect.arrayContaining([lock.id, share1Lock2.id]));
      expect(between).not.toContain(share2Lock.id);
    });

    it('test_get_resource_lock', async () => {
      const got = (await client.getResourceLock(lock.id)).resource_lock;
      expect(Object.keys(got).sort()).toEqual(RESOURCE_LOCK_FIELDS);
      expect(got.id).toMatch(UUID);
      expect(got.resource_type).toBe('share');
      expect(got.resource_id).toBe(shareId);
      expect(got.resource_action).toBe('delete');
      expect(got.lock_context).toBe('user');
      expect(got.user_id).toBe(client.userId);
      expect(got.project_id).toBe(client.projectId);
    });

    it('test_create_resource_lock', async () => {
      // a different user in the same project
      const other = await newUserClient();
      const created = await other.createResourceLock(shareId);
      expect(Object.keys(created).sort()).toEqual(RESOURCE_LOCK_FIELDS);
      expect(created.id).toMatch(UUID);
      expect(created).toMatchObject({
        resource_type: 'share',
        resource_id: shareId,
        resource_action: 'delete',
        lock_context: 'user',
        user_id: other.userId,
        project_id: client.projectId,
      });
      // by admin
      expect((await adminClient.createResourceLock(shareId)).lock_context).toBe('admin');
    });

    it('test_update_resource_lock', async () => {
      const updated = (await client.updateResourceLock(lock.id, { lock_reason: 'new lock reason' })).resource_lock;
      expect(updated.lock_reason).toBe('new lock reason');
      expect((await client.getResourceLock(lock.id)).resource_lock.lock_reason).toBe('new lock reason');
    });
  });

  describe('ResourceLockDeleteTest', () => {
    it('test_delete_lock', async () => {
      const s = await createShare();
      const lock1 = await client.createResourceLock(s);
      const lock2 = await client.createResourceLock(s);
      const before = (await client.listResourceLocks({ resource_id: s })).resource_locks.map((l: { id: string }) => l.id);
      expect(before.sort()).toEqual([lock1.id, lock2.id].sort());
      await client.deleteResourceLock(lock1.id);
      const after = (await client.listResourceLocks({ resource_id: s })).resource_locks.map((l: { id: string }) => l.id);
      expect(after).toEqual([lock2.id]);
    });

    it('test_delete_locked_resource (asked of the decision API)', async () => {
      const s = await createShare();
      const lock1 = await client.createResourceLock(s);
      const lock2 = await client.createResourceLock(s);
      const mayDelete = async (subject: string) => {
        const res = await t.request('POST', '/access/v1/evaluation', {
          body: { subject: { type: 'user', id: subject }, action: { name: 'delete' }, resource: { type: 'share', id: s } },
        });
        expect(res.status).toBe(200);
        return res.body.decision as boolean;
      };
      // neither the project member nor the admin ("the force" included) may delete a locked share
      expect(await mayDelete(client.userId)).toBe(false);
      expect(await mayDelete('admin')).toBe(false);
      await client.deleteResourceLock(lock1.id);
      expect(await mayDelete(client.userId)).toBe(false); // one lock still stands
      await client.deleteResourceLock(lock2.id);
      expect(await mayDelete(client.userId)).toBe(true);
    });
  });

  describe('ResourceLockNegativeTestAPIOnly', () => {
    it('test_create_resource_lock_invalid_resource', async () => {
      await raises(400, client.createResourceLock('invalid-share-id', 'share'));
    });
    it('test_delete_resource_lock_invalid', async () => {
      await raises(404, client.deleteResourceLock('invalid-lock-id'));
    });
  });

  describe('ResourceLockNegativeTestWithShares', () => {
    let shareId: string;
    beforeAll(async () => {
      shareId = await createShare();
    });

    it('test_create_resource_lock_invalid_resource_action', async () => {
      await raises(400, client.createResourceLock(shareId, 'share', { resource_action: 'invalid-action' }));
    });
    it('test_create_resource_lock_invalid_lock_reason_too_long', async () => {
      await raises(400, client.createResourceLock(shareId, 'share', { resource_action: 'delete', lock_reason: 'invalid'.repeat(150) }));
    });
    it('test_update_resource_lock_invalid_param', async () => {
      const l = await client.createResourceLock(shareId);
      await raises(400, client.updateResourceLock(l.id, { resource_action: 'invalid-action' }));
      await raises(400, client.updateResourceLock(l.id, { lock_reason: 'invalid'.repeat(150) }));
    });
    it('test_update_resource_lock_created_by_different_user', async () => {
      const l = await client.createResourceLock(shareId);
      const other = await newUserClient();
      await raises(403, other.updateResourceLock(l.id, { lock_reason: "I shouldn't be able to do this" }));
    });
    it('test_delete_resource_lock_created_by_different_user', async () => {
      const l = await client.createResourceLock(shareId);
      const other = await newUserClient();
      await raises(403, other.deleteResourceLock(l.id));
    });
  });
});
