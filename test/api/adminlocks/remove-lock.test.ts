import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, startAlFixture, type AlFixture } from './al-fixture.js';

describe('DELETE /admin/remove-lock', () => {
  let f: AlFixture;
  const lock = async (user: string, route: string, id: string) =>
    expect((await f.as(user, 'POST', '/admin/lock', { route, id })).status).toBe(200);

  beforeAll(async () => {
    f = await startAlFixture();
  });
  afterAll(async () => f.t.close());

  it('lets the holder release with a JSON body; a second release is 404', async () => {
    await lock('alice', 'volume', '1');
    const res = await f.as('alice', 'DELETE', '/admin/remove-lock', { route: 'volume', id: '1' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(reply('Success', 200));
    const again = await f.as('alice', 'DELETE', '/admin/remove-lock', { route: 'volume', id: '1' });
    expect(again.status).toBe(404);
    expect(again.body).toEqual(reply('Not found', 404));
  });

  it("answers 403 for someone else's lock, with no admin override (S-2)", async () => {
    await lock('alice', 'volume', '2');
    const bob = await f.as('bob', 'DELETE', '/admin/remove-lock', { route: 'volume', id: '2' });
    expect(bob.status).toBe(403);
    expect(bob.body).toEqual(reply('Forbidden', 403));
    const admin = await f.t.request('DELETE', '/admin/remove-lock', { body: { route: 'volume', id: '2' } });
    expect(admin.body).toEqual(reply('Forbidden', 403));
    // still held by alice: bob cannot take it
    expect((await f.as('bob', 'POST', '/admin/lock', { route: 'volume', id: '2' })).body).toEqual(reply('Conflict', 409));
  });

  it('falls back to the query string (S-7), field by field', async () => {
    await lock('alice', 'volume', '3');
    await lock('alice', 'volume', '4');
    const q = await f.as('alice', 'DELETE', '/admin/remove-lock?route=volume&id=3');
    expect(q.body).toEqual(reply('Success', 200));
    const mixed = await f.as('alice', 'DELETE', '/admin/remove-lock?id=4', { route: 'volume' });
    expect(mixed.body).toEqual(reply('Success', 200));
  });

  it('answers 400 Missing parameters when route or id is missing', async () => {
    for (const [path, body] of [['/admin/remove-lock', { route: 'volume' }], ['/admin/remove-lock?route=volume', undefined], ['/admin/remove-lock', undefined]] as const) {
      const res = await f.as('alice', 'DELETE', path, body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(reply('Missing parameters', 400));
    }
  });

  it('checks 401, 404 (unknown user) and 403 (no manage-locks) first', async () => {
    const anon = await f.t.request('DELETE', '/admin/remove-lock', { token: null, body: { route: 'v', id: '1' } });
    expect(anon.body).toEqual(reply('Unauthorized', 401));
    expect((await f.as('ghost', 'DELETE', '/admin/remove-lock', {})).body).toEqual(reply('Not found', 404));
    expect((await f.as('rita', 'DELETE', '/admin/remove-lock', {})).body).toEqual(reply('Forbidden', 403));
  });
});
