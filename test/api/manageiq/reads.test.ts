/**
 * ManageIQ reads (what manageiq-client GETs before it acts): the entry point, the seven
 * collections from the registry with RBAC filtering, one resource, and the `set_ownership` action
 * listed with its href for callers who hold the feature.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { grantOnProject, register, seedWorld } from './world.js';

describe('ManageIQ entry point, collections and resources', () => {
  let t: TestApp;
  let mgr: string;
  let reader: string;
  beforeAll(async () => {
    t = await startTestApp();
    await seedWorld(t);
    await register(t, 'vms', '320', { project_id: 'p1', owner: 'u-old', attributes: { name: 'web-1', guid: 'g-320' } });
    await register(t, 'vms', '41', { project_id: 'p1', attributes: { name: 'db-1' } });
    await register(t, 'vms', '330', { project_id: 'p2', attributes: { name: 'other' } });
    await register(t, 'services', '7', { project_id: 'p1', group: 'g-ops' });
    await grantOnProject(t, 'u-mgr', 'manager', 'p1');
    await grantOnProject(t, 'u-reader', 'reader', 'p1');
    mgr = await t.token('u-mgr', { project: 'p1' });
    reader = await t.token('u-reader', { project: 'p1' });
  });
  afterAll(async () => t.close());

  it('serves the entry point: version, identity and the seven collections with hrefs', async () => {
    for (const path of ['/api', '/api/', '/api/v4.4.0']) {
      const res = await t.request('GET', path, { token: mgr });
      expect(res.status, path).toBe(200);
      expect(res.body).toMatchObject({ name: 'API', description: 'REST API', version: '4.4.0' });
      expect(res.body.versions).toEqual([{ name: '4.4.0', href: `${t.url}/api/v4.4.0` }]);
    }
    const res = await t.request('GET', '/api', { token: mgr });
    expect(res.body.identity).toMatchObject({ userid: 'manager1', name: 'manager1', user_href: `${t.url}/api/users/u-mgr`, group: 'ops', groups: ['ops'] });
    expect(res.body.collections.map((c: { name: string }) => c.name)).toEqual([
      'auth_key_pairs', 'cloud_templates', 'instances', 'service_templates', 'services', 'templates', 'vms',
    ]);
    expect(res.body.collections).toContainEqual({ name: 'vms', href: `${t.url}/api/vms`, description: 'Virtual Machines' });
    const versioned = await t.request('GET', '/api/v4.4.0', { token: mgr });
    expect(versioned.body.collections).toContainEqual({ name: 'vms', href: `${t.url}/api/v4.4.0/vms`, description: 'Virtual Machines' });
    expect((await t.request('GET', '/api', { token: null })).status).toBe(401);
  });

  it('lists the resources the caller may read, with the set_ownership action for managers', async () => {
    const res = await t.request('GET', '/api/vms', { token: mgr });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      name: 'vms',
      count: 2,
      subcount: 2,
      resources: [{ href: `${t.url}/api/vms/41` }, { href: `${t.url}/api/vms/320` }],
      actions: [{ name: 'set_ownership', method: 'post', href: `${t.url}/api/vms` }],
    });
    const asReader = await t.request('GET', '/api/vms?expand=resources', { token: reader });
    expect(asReader.body.actions).toEqual([]);
    expect(asReader.body.resources[1]).toMatchObject({ href: `${t.url}/api/vms/320`, id: '320', name: 'web-1', guid: 'g-320', evm_owner_id: 'u-old', miq_group_id: null });
    expect(asReader.body.resources[1].created_on).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const admin = await t.request('GET', '/api/vms');
    expect(admin.body.count).toBe(3);
  });

  it("filters with filter[] (manageiq-client's find_by), and pages with offset and limit", async () => {
    const byName = await t.request('GET', `/api/vms?expand=resources&filter[]=${encodeURIComponent("name='web-1'")}`, { token: mgr });
    expect(byName.body.resources.map((r: { id: string }) => r.id)).toEqual(['320']);
    expect(byName.body).toMatchObject({ count: 2, subcount: 1, subquery_count: 1 });
    const either = await t.request('GET', `/api/vms?filter[]=${encodeURIComponent("name='web-1'")}&filter[]=${encodeURIComponent("or name='db-1'")}`, { token: mgr });
    expect(either.body.subcount).toBe(2);
    const paged = await t.request('GET', '/api/vms?offset=1&limit=1', { token: mgr });
    expect(paged.body.resources).toEqual([{ href: `${t.url}/api/vms/320` }]);
    const bad = await t.request('GET', `/api/vms?filter[]=${encodeURIComponent('name ~~ x')}`, { token: mgr });
    expect(bad.status).toBe(400);
    expect(bad.body.error.kind).toBe('bad_request');
  });

  it('shows one resource with its actions; 404, 403 and 400 as upstream', async () => {
    const res = await t.request('GET', '/api/v4.4.0/services/7', { token: mgr });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      href: `${t.url}/api/v4.4.0/services/7`,
      id: '7',
      miq_group_id: 'g-ops',
      actions: [{ name: 'set_ownership', method: 'post', href: `${t.url}/api/v4.4.0/services/7` }],
    });
    const missing = await t.request('GET', '/api/vms/999', { token: mgr });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toEqual({ kind: 'not_found', message: "Couldn't find Vm with 'id'=999", klass: 'ActiveRecord::RecordNotFound' });
    const hidden = await t.request('GET', '/api/vms/330', { token: mgr });
    expect(hidden.status).toBe(403);
    expect(hidden.body.error.message).toBe('Access to the resource vms/330 is forbidden');
    const badId = await t.request('GET', '/api/vms/abc', { token: mgr });
    expect(badId.status).toBe(400);
    expect(badId.body.error.message).toBe('Invalid Vm id abc specified');
  });

  it('refuses reads to a caller without the read feature', async () => {
    const nobody = await t.token('u-jdoe', { project: 'p1' });
    const res = await t.request('GET', '/api/vms', { token: nobody });
    expect(res.status).toBe(403);
    expect(res.body.error).toEqual({ kind: 'forbidden', message: 'Use of Action read is forbidden', klass: 'Api::ForbiddenError' });
  });
});
