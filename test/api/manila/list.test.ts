/** GET /v2/resource-locks: filters, sorting, paging, counting and project scoping (docs/compatibility.md §2.3 list, M-4, M-6, M-10, M-11). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { LOCKS, grant, hex, lock, manila, share } from './manila-fixtures.js';

describe('Manila: list resource locks', () => {
  let t: TestApp;
  const P = hex();
  const Q = hex();
  const alice = hex(); // member of P
  const bob = hex(); // member of P
  const quentin = hex(); // member of Q
  let aliceToken: string;
  let bobToken: string;
  let quentinToken: string;
  let s1: string;
  let s2: string;
  const ids: Record<string, string> = {};
  const list = async (query: string, token?: string) => {
    const res = await manila(t, 'GET', `${LOCKS}${query}`, token === undefined ? {} : { token });
    return res;
  };
  const idsOf = (res: { body: any }) => res.body.resource_locks.map((l: any) => l.id);

  beforeAll(async () => {
    t = await startTestApp();
    await grant(t, alice, 'member', { project: P });
    await grant(t, bob, 'member', { project: P });
    await grant(t, quentin, 'member', { project: Q });
    aliceToken = await t.token(alice, { project: P });
    bobToken = await t.token(bob, { project: P });
    quentinToken = await t.token(quentin, { project: Q });
    s1 = await share(t, P);
    s2 = await share(t, P);
    const s3 = await share(t, Q);
    ids.a1 = (await lock(t, aliceToken, s1, { lock_reason: 'Year-end AUDIT (finance)' })).id;
    await new Promise((r) => setTimeout(r, 15));
    ids.a2 = (await lock(t, aliceToken, s2, { lock_reason: 'keep' })).id;
    await new Promise((r) => setTimeout(r, 15));
    ids.b1 = (await lock(t, bobToken, s1)).id;
    ids.q1 = (await lock(t, quentinToken, s3, { lock_reason: 'audit too' })).id;
  });
  afterAll(async () => t.close());

  it('lists the caller\'s project only, newest first by default', async () => {
    const res = await list('', aliceToken);
    expect(res.status).toBe(200);
    expect(idsOf(res)).toEqual([ids.b1, ids.a2, ids.a1]);
    expect(res.body).not.toHaveProperty('count');
    expect(res.body).not.toHaveProperty('resource_locks_links');
  });

  it('filters by every exact-match key', async () => {
    const filters: [string, string[]][] = [
      [`id=${ids.a2}`, [ids.a2!]],
      [`user_id=${bob}`, [ids.b1!]],
      [`project_id=${P}`, [ids.b1!, ids.a2!, ids.a1!]],
      [`resource_id=${s1}`, [ids.b1!, ids.a1!]],
      ['resource_type=share', [ids.b1!, ids.a2!, ids.a1!]],
      ['resource_action=delete', [ids.b1!, ids.a2!, ids.a1!]],
      ['lock_context=user', [ids.b1!, ids.a2!, ids.a1!]],
      ['lock_context=admin', []],
      ['lock_reason=keep', [ids.a2!]],
      ['lock_reason=kee', []],
    ];
    for (const [q, expected] of filters) {
      const res = await list(`?${q}`, aliceToken);
      expect(res.status, q).toBe(200);
      expect(idsOf(res), q).toEqual(expected);
    }
  });

  it('matches lock_reason~ as a case-insensitive substring, regex characters literal (M-10)', async () => {
    expect(idsOf(await list('?lock_reason~=audit', aliceToken))).toEqual([ids.a1]);
    expect(idsOf(await list(`?lock_reason~=${encodeURIComponent('(FINANCE)')}`, aliceToken))).toEqual([ids.a1]);
    expect(idsOf(await list(`?lock_reason~=${encodeURIComponent('.*')}`, aliceToken))).toEqual([]);
  });

  it('filters by created_since / created_before, and refuses unparseable values', async () => {
    const all = (await list('?sort_dir=asc', aliceToken)).body.resource_locks;
    const second = all[1].created_at as string;
    const since = await list(`?created_since=${second}&sort_dir=asc`, aliceToken);
    expect(idsOf(since)).toEqual([ids.a2, ids.b1]);
    const before = await list(`?created_before=${second}&sort_dir=asc`, aliceToken);
    expect(idsOf(before)).toEqual([ids.a1, ids.a2]);
    expect(idsOf(await list('?created_since=2000-01-01', aliceToken))).toHaveLength(3);
    expect(idsOf(await list('?created_before=2000-01-01T00:00:00Z', aliceToken))).toHaveLength(0);
    for (const form of ['2000-01-01T05:00:00%2B05', '2000-01-01T05:30%2B0530', '2000-01-01 00:00:00.5', '2000-01-01T00:00:00-01:00']) {
      const res = await list(`?created_since=${form}`, aliceToken);
      expect(res.status, form).toBe(200);
      expect(idsOf(res), form).toHaveLength(3);
    }
    for (const [key, value] of [['created_since', 'yesterday'], ['created_before', '2023-13-45'], ['created_since', '2023-07-17T25:00']]) {
      const res = await list(`?${key}=${value}`, aliceToken);
      expect(res.status).toBe(400);
      expect(res.body.badRequest.message).toBe(`Invalid value specified for the query key: ${key}`);
    }
  });

  it('sorts by sort_key / sort_dir and refuses an unknown sort_key (M-11)', async () => {
    const asc = await list('?sort_key=created_at&sort_dir=asc', aliceToken);
    expect(idsOf(asc)).toEqual([ids.a1, ids.a2, ids.b1]);
    const byUser = await list('?sort_key=user_id&sort_dir=desc', aliceToken);
    const users = byUser.body.resource_locks.map((l: any) => l.user_id);
    expect(users).toEqual([...users].sort().reverse());
    const anythingElse = await list('?sort_dir=sideways', aliceToken);
    expect(idsOf(anythingElse)).toEqual([ids.a1, ids.a2, ids.b1]);
    const bad = await list('?sort_key=color', aliceToken);
    expect(bad.status).toBe(400);
    expect(bad.body.badRequest.message).toMatch(/^Invalid input for query parameters sort_key\. Value: color\./);
  });

  it('pages with limit / offset and links the next page when the page is full', async () => {
    const first = await list('?limit=2', aliceToken);
    expect(idsOf(first)).toEqual([ids.b1, ids.a2]);
    const next = first.body.resource_locks_links[0];
    expect(next.rel).toBe('next');
    const url = new URL(next.href);
    expect(url.searchParams.get('limit')).toBe('2');
    expect(url.searchParams.get('offset')).toBe('2');
    expect(url.searchParams.get('marker')).toBe(ids.a2);
    const second = await list(url.search, aliceToken);
    expect(idsOf(second)).toEqual([ids.a1]);
    expect(second.body).not.toHaveProperty('resource_locks_links');
    expect(idsOf(await list('?offset=1&limit=1', aliceToken))).toEqual([ids.a2]);
    expect(idsOf(await list('?limit=0', aliceToken))).toEqual([]);
  });

  it('refuses bad limit and offset values', async () => {
    const cases: [string, string][] = [
      ['limit=ten', 'limit param must be an integer'],
      ['limit=-1', 'limit param must be positive'],
      ['offset=x', 'offset param must be an integer'],
      ['offset=-3', 'offset param must be positive'],
    ];
    for (const [q, message] of cases) {
      const res = await list(`?${q}`, aliceToken);
      expect(res.status, q).toBe(400);
      expect(res.body).toEqual({ badRequest: { code: 400, message } });
    }
  });

  it('counts matches before paging with with_count, 0 included (M-6)', async () => {
    const paged = await list('?with_count=true&limit=1', aliceToken);
    expect(paged.body.count).toBe(3);
    expect(paged.body.resource_locks).toHaveLength(1);
    const none = await list('?with_count=yes&lock_context=service', aliceToken);
    expect(none.body).toEqual({ resource_locks: [], count: 0 });
    const off = await list('?with_count=0', aliceToken);
    expect(off.body).not.toHaveProperty('count');
  });

  it('validates query parameters with 400 and ignores unknown keys', async () => {
    const cases = [
      'user_id=bob',
      'project_id=nope',
      'resource_id=123',
      'resource_type=volume',
      'resource_action=show',
      'lock_context=administrator',
      `lock_reason=${'x'.repeat(1024)}`,
      'with_count=maybe',
      'all_projects=perhaps',
    ];
    for (const q of cases) {
      const res = await list(`?${q}`, aliceToken);
      expect(res.status, q).toBe(400);
      expect(res.body.badRequest.message, q).toMatch(/^Invalid input for query parameters \w+\. Value: /);
    }
    const unknown = await list('?flavor=vanilla', aliceToken);
    expect(unknown.status).toBe(200);
    expect(idsOf(unknown)).toHaveLength(3);
  });

  it('honours all_projects for admins and silently drops it (with project_id) for others', async () => {
    const admin = await list('?all_projects=1');
    expect(idsOf(admin).sort()).toEqual(Object.values(ids).sort());
    const adminQ = await list(`?all_projects=true&project_id=${Q}`);
    expect(idsOf(adminQ)).toEqual([ids.q1]);
    const adminOwn = await list('');
    expect(idsOf(adminOwn)).toEqual([]);
    const dropped = await list(`?all_projects=1&project_id=${Q}`, aliceToken);
    expect(dropped.status).toBe(200);
    expect(idsOf(dropped)).toEqual([ids.b1, ids.a2, ids.a1]);
    const falsy = await list('?all_projects=false');
    expect(idsOf(falsy)).toEqual([]);
  });

  it('honours all_projects for holders of the service role too', async () => {
    const svc = hex();
    await grant(t, svc, 'service', 'system');
    const res = await list('?all_projects=yes', await t.token(svc, { project: hex() }));
    expect(res.status).toBe(200);
    expect(idsOf(res).sort()).toEqual(Object.values(ids).sort());
  });

  it('answers 403 Not authorized. to a non-admin asking for another project, and lets an admin filter', async () => {
    const res = await list(`?project_id=${Q}`, aliceToken);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ forbidden: { code: 403, message: 'Not authorized.' } });
    const admin = await list(`?project_id=${Q}`);
    expect(idsOf(admin)).toEqual([ids.q1]);
  });

  it('answers 403 when policy refuses get_all (no role in the project)', async () => {
    const res = await list('', await t.token(hex(), { project: P }));
    expect(res.status).toBe(403);
    expect(res.body.forbidden.message).toBe("Policy doesn't allow resource_lock:get_all to be performed.");
  });
});
