/**
 * GET /v2/shares/{id}, /v2/shares and /v2/shares/detail: registered shares in Manila's share shape,
 * with the filters python-manilaclient's find_resource sends, and x-compute-request-id everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { grant, hex, manila, share } from './manila-fixtures.js';

const SHARES = '/share/v2/shares';

describe('Manila: shares from the registry', () => {
  let t: TestApp;
  const P = hex();
  const Q = hex();
  const alice = hex(); // reader of P
  const quentin = hex(); // member of Q
  const tokens: Record<string, string> = {};
  let mine: string;
  let publicInQ: string;
  let privateInQ: string;
  let binned: string;

  beforeAll(async () => {
    t = await startTestApp();
    await grant(t, alice, 'reader', { project: P });
    await grant(t, quentin, 'member', { project: Q });
    tokens.alice = await t.token(alice, { project: P });
    tokens.quentin = await t.token(quentin, { project: Q });
    mine = await share(t, P, {
      status: 'available',
      owner: alice,
      attributes: { name: 'alpha', description: 'first share', size: 1, share_proto: 'NFS', metadata: { k: 'v' } },
    });
    publicInQ = await share(t, Q, { status: 'available', attributes: { name: 'beta', is_public: true } });
    privateInQ = await share(t, Q, { status: 'error', attributes: { name: 'gamma' } });
    binned = await share(t, P, { status: 'available', attributes: { name: 'alpha', is_soft_deleted: true } });
  });
  afterAll(async () => t.close());

  it('shows a share in the 2.81 detail shape, with links and the request id headers', async () => {
    const res = await manila(t, 'GET', `${SHARES}/${mine}`, { token: tokens.alice! });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-compute-request-id')).toMatch(/^req-[0-9a-f-]{36}$/);
    expect(res.headers.get('x-openstack-request-id')).toBe(res.headers.get('x-compute-request-id'));
    const s = res.body.share;
    expect(s).toMatchObject({
      id: mine,
      name: 'alpha',
      description: 'first share',
      status: 'available',
      project_id: P,
      user_id: alice,
      size: 1,
      share_proto: 'NFS',
      metadata: { k: 'v' },
      is_public: false,
      is_soft_deleted: false,
      scheduled_to_be_deleted_at: null,
      has_replicas: false,
      access_rules_status: 'active',
      source_backup_id: null,
    });
    expect(s.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
    expect(s).not.toHaveProperty('export_locations'); // removed at 2.9
    expect(s.links).toEqual([
      { rel: 'self', href: `${t.url}/share/v2/shares/${mine}` },
      { rel: 'bookmark', href: `${t.url}/share/shares/${mine}` },
    ]);
  });

  it('shows the fields of the requested microversion', async () => {
    const old = await manila(t, 'GET', `${SHARES}/${mine}`, { token: tokens.alice!, headers: { 'X-OpenStack-Manila-API-Version': '2.8' } });
    expect(old.status).toBe(200);
    expect(old.body.share).toHaveProperty('export_locations', []);
    expect(old.body.share).not.toHaveProperty('user_id');
    expect(old.body.share).toHaveProperty('consistency_group_id', null);
    const none = await t.request('GET', `/v2/shares/${mine}`, { token: tokens.alice! });
    expect(none.status).toBe(200);
    expect(Object.keys(none.body.share)).not.toContain('snapshot_support'); // 2.2 and later
  });

  it('answers 404 for an unknown share or one in another project, with the request id header', async () => {
    const unknown = await manila(t, 'GET', `${SHARES}/${hex()}`, { token: tokens.alice! });
    expect(unknown.status).toBe(404);
    expect(unknown.body.itemNotFound.message).toMatch(/^Share [0-9a-f]{32} could not be found\.$/);
    expect(unknown.headers.get('x-compute-request-id')).toMatch(/^req-/);
    const hidden = await manila(t, 'GET', `${SHARES}/${privateInQ}`, { token: tokens.alice! });
    expect(hidden.status).toBe(404);
    const pub = await manila(t, 'GET', `${SHARES}/${publicInQ}`, { token: tokens.alice! });
    expect(pub.status).toBe(200);
  });

  it('lists the caller project only, public ones with is_public, the recycle bin with is_soft_deleted', async () => {
    const ids = async (query: string, token = tokens.alice!) => {
      const res = await manila(t, 'GET', `${SHARES}/detail${query}`, { token });
      expect(res.status).toBe(200);
      return (res.body.shares as { id: string }[]).map((s) => s.id).sort();
    };
    expect(await ids('')).toEqual([mine]);
    expect(await ids('?all_tenants=1&is_public=True')).toEqual([mine, publicInQ].sort());
    expect(await ids('?all_tenants=1&is_public=True&is_soft_deleted=True')).toEqual([binned]);
    expect(await ids('?name=beta&is_public=true')).toEqual([publicInQ]);
    // all_tenants needs share:list_all_projects (admins): silently dropped for others
    expect(await ids('?all_tenants=1', tokens.quentin!)).toEqual([privateInQ, publicInQ].sort());
    const admin = await manila(t, 'GET', `${SHARES}/detail?all_tenants=1&status=error`);
    expect(admin.body.shares.map((s: { id: string }) => s.id)).toEqual([privateInQ]);
  });

  it('lists summaries, sorts, pages and counts', async () => {
    const summary = await manila(t, 'GET', `${SHARES}?is_public=true`, { token: tokens.alice! });
    expect(summary.body.shares).toContainEqual({
      id: mine,
      name: 'alpha',
      links: [
        { rel: 'self', href: `${t.url}/share/v2/shares/${mine}` },
        { rel: 'bookmark', href: `${t.url}/share/shares/${mine}` },
      ],
    });
    const sorted = await manila(t, 'GET', `${SHARES}/detail?all_tenants=1&sort_key=name&sort_dir=asc&limit=2&with_count=true`);
    expect(sorted.body.count).toBe(3);
    expect(sorted.body.shares.map((s: { name: string }) => s.name)).toEqual(['alpha', 'beta']);
    expect(sorted.body.shares_links[0].href).toContain('offset=2');
    const bad = await manila(t, 'GET', `${SHARES}/detail?sort_key=nope`);
    expect(bad.status).toBe(400);
    expect(bad.body.badRequest.message).toBe("Invalid input received: Wrong sorting key provided - 'nope'.");
  });

  it('answers 403 to a caller with no role in its project, 401 without a token', async () => {
    const nobody = await manila(t, 'GET', `${SHARES}/detail`, { token: await t.token(hex(), { project: P }) });
    expect(nobody.status).toBe(403);
    expect(nobody.body.forbidden.message).toBe("Policy doesn't allow share:get_all to be performed.");
    const anon = await manila(t, 'GET', `${SHARES}/detail`, { token: null });
    expect(anon.status).toBe(401);
    expect(anon.headers.get('x-compute-request-id')).toMatch(/^req-/);
  });
});
