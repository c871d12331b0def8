import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { error, startToFixture, type ToFixture } from './to-fixture.js';

const PATH = '/api/4.0/cdn_locks';

describe('DELETE /api/4.0/cdn_locks?cdn=', () => {
  let f: ToFixture;
  const lock = async (user: string, body: Record<string, unknown>) => {
    const res = await f.as(user, 'POST', PATH, { body });
    if (res.status !== 201) throw new Error(res.text);
  };
  const held = async (cdn: string) => (await f.as('rita', 'GET', `${PATH}?cdn=${cdn}`)).body.response.length === 1;

  beforeAll(async () => {
    f = await startToFixture(['d-own', 'd-shared', 'd-other', 'd-admin', 'd-none']);
  });
  afterAll(async () => f.t.close());

  it('lets the owner delete their lock, returning it with sharedUserNames null when empty', async () => {
    await lock('alice', { cdn: 'd-own', message: 'm' });
    const res = await f.as('alice', 'DELETE', `${PATH}?cdn=d-own`);
    expect(res.status).toBe(200);
    expect(res.body.alerts).toEqual([{ text: 'cdn lock deleted', level: 'success' }]);
    expect(res.body.response).toMatchObject({ userName: 'alice', cdn: 'd-own', message: 'm', soft: true, sharedUserNames: null });
    expect(await held('d-own')).toBe(false);
  });

  it('refuses shared users (T-7) and other users with 403, then lets the owner delete', async () => {
    await lock('alice', { cdn: 'd-shared', sharedUserNames: ['bob'] });
    for (const who of ['bob', 'carol']) {
      const res = await f.as(who, 'DELETE', `${PATH}?cdn=d-shared`);
      expect(res.status).toBe(403);
      expect(res.body).toEqual(error('deleting cdn lock with cdn name d-shared: operation forbidden'));
    }
    expect(await held('d-shared')).toBe(true);
    const res = await f.as('alice', 'DELETE', `${PATH}?cdn=d-shared`);
    expect(res.body.response.sharedUserNames).toEqual(['bob']);
  });

  it('answers 403, not 404, to a non-admin when there is no lock (T-3)', async () => {
    const res = await f.as('bob', 'DELETE', `${PATH}?cdn=d-none`);
    expect(res.status).toBe(403);
    expect(res.body).toEqual(error('deleting cdn lock with cdn name d-none: operation forbidden'));
  });

  it("lets CDN-LOCK:DELETE-OTHERS holders delete anyone's lock, and 404 when there is none", async () => {
    await lock('bob', { cdn: 'd-admin', soft: false });
    const res = await f.as('admin', 'DELETE', `${PATH}?cdn=d-admin`);
    expect(res.status).toBe(200);
    expect(res.body.response).toMatchObject({ userName: 'bob', soft: false });
    const again = await f.as('admin', 'DELETE', `${PATH}?cdn=d-admin`);
    expect(again.status).toBe(404);
    expect(again.body).toEqual(error('deleting cdn lock with cdn name d-admin: lock not found'));
  });

  it('answers 400 without the cdn parameter', async () => {
    for (const q of ['', '?cdn=', '?other=1']) {
      const res = await f.as('alice', 'DELETE', `${PATH}${q}`);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(error('missing required parameters: cdn'));
    }
  });

  it('answers 403 to users without CDN-LOCK:DELETE, and 401 without a session', async () => {
    await lock('carol', { cdn: 'd-other' });
    const reader = await f.as('rita', 'DELETE', `${PATH}?cdn=d-other`);
    expect(reader.status).toBe(403);
    expect(reader.body).toEqual(error('missing required Permissions: CDN-LOCK:DELETE'));
    const anon = await f.t.request('DELETE', `${PATH}?cdn=d-other`, { token: null });
    expect(anon.status).toBe(401);
    expect(await held('d-other')).toBe(true);
  });
});
