import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

describe('resource registry /v1/resources', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('creates (201), replaces (200, keeping created_at), shows and deletes a resource', async () => {
    const created = await t.request('PUT', '/v1/resources/vm/1', {
      body: { project_id: 'p1', owner: 'jdoe', group: 'ops', status: 'available', attributes: { name: 'web' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.resource).toMatchObject({ type: 'vm', id: '1', project_id: 'p1', owner: 'jdoe', group: 'ops', status: 'available', attributes: { name: 'web' } });
    const replaced = await t.request('PUT', '/v1/resources/vm/1', { body: { domain_id: 'default' } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.resource).toMatchObject({ project_id: null, domain_id: 'default', owner: null });
    expect(replaced.body.resource.created_at).toBe(created.body.resource.created_at);
    expect((await t.request('GET', '/v1/resources/vm/1')).body.resource.domain_id).toBe('default');
    expect((await t.request('DELETE', '/v1/resources/vm/1')).status).toBe(204);
    const gone = await t.request('GET', '/v1/resources/vm/1');
    expect(gone.status).toBe(404);
    expect(gone.body.error.message).toBe('Resource vm/1 is not registered.');
    expect((await t.request('DELETE', '/v1/resources/vm/1')).status).toBe(404);
  });

  it('deletes the locks that stood on a deleted resource', async () => {
    const { stores } = t.portcullis.context;
    await t.request('PUT', '/v1/resources/volume/9', { body: {} });
    await stores.routeLocks.acquire('volume', '9', 'alice', new Date().toISOString());
    await t.request('DELETE', '/v1/resources/volume/9');
    expect(await stores.routeLocks.get('volume', '9')).toBeUndefined();
  });

  it('lists with filters and pages through with page_token', async () => {
    for (const id of ['a', 'b', 'c']) await t.request('PUT', `/v1/resources/disk/${id}`, { body: { project_id: 'px', owner: id === 'b' ? 'bob' : null } });
    const page1 = await t.request('GET', '/v1/resources?type=disk&limit=2');
    expect(page1.body.resources.map((r: { id: string }) => r.id)).toEqual(['a', 'b']);
    const page2 = await t.request('GET', `/v1/resources?type=disk&limit=2&page_token=${page1.body.next_page_token}`);
    expect(page2.body.resources.map((r: { id: string }) => r.id)).toEqual(['c']);
    expect(page2.body.next_page_token).toBeNull();
    const owned = await t.request('GET', '/v1/resources?owner=bob');
    expect(owned.body.resources.map((r: { id: string }) => r.id)).toEqual(['b']);
  });

  it.each([
    ['an unknown field', { body: { projectid: 'p1' } }, /Unrecognized key/],
    ['a wrong type', { body: { owner: 7 } }, /'owner'/],
    ['an over-long id', { body: { owner: 'x'.repeat(256) } }, /'owner'/],
    ['a non-object body', { raw: '[1,2]' }, /body/],
  ])('rejects %s with 400', async (_what, options, message) => {
    const res = await t.request('PUT', '/v1/resources/vm/2', options);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    expect((await t.request('GET', '/v1/resources/vm/2')).status).toBe(404);
  });

  it('rejects a bad page token and a bad limit with 400', async () => {
    expect((await t.request('GET', '/v1/resources?page_token=zzz')).status).toBe(400);
    expect((await t.request('GET', '/v1/resources?limit=0')).status).toBe(400);
  });

  it('lets only admins and services write, and requires authentication', async () => {
    const user = await t.token('bob', { project: 'p1' });
    const res = await t.request('PUT', '/v1/resources/vm/3', { token: user, body: {} });
    expect(res.status).toBe(403);
    expect((await t.request('GET', '/v1/resources', { token: null })).status).toBe(401);
  });
});
