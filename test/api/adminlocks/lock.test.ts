import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, startAlFixture, type AlFixture } from './al-fixture.js';

describe('POST /admin/lock', () => {
  let f: AlFixture;
  beforeAll(async () => {
    f = await startAlFixture();
  });
  afterAll(async () => f.t.close());

  it('creates a lock, and confirms it idempotently for its holder', async () => {
    const first = await f.as('alice', 'POST', '/admin/lock', { route: 'volume', id: '1234' });
    expect(first.status).toBe(200);
    expect(first.body).toEqual(reply('Success', 200));
    const again = await f.as('alice', 'POST', '/admin/lock', { route: 'volume', id: '1234' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(reply('Success', 200));
  });

  it('answers 409 when another user holds the lock; the key is trimmed, and a numeric id is its decimal string', async () => {
    for (const body of [{ route: 'volume', id: '1234' }, { route: ' volume ', id: ' 1234 ' }, { route: 'volume', id: 1234 }]) {
      const res = await f.as('bob', 'POST', '/admin/lock', body);
      expect(res.status).toBe(409);
      expect(res.body).toEqual(reply('Conflict', 409));
    }
  });

  it('treats keys case-sensitively', async () => {
    const res = await f.as('bob', 'POST', '/admin/lock', { route: 'Volume', id: '1234' });
    expect(res.body).toEqual(reply('Success', 200));
  });

  it('answers 400 Missing parameters for missing, empty or ill-typed fields, a colon in route, or bad JSON', async () => {
    const bodies: unknown[] = [
      {},
      { route: 'volume' },
      { id: '1' },
      { route: '', id: '1' },
      { route: '  ', id: '1' },
      { route: 'volume', id: ' ' },
      { route: ['volume'], id: '1' },
      { route: 'volume', id: { x: 1 } },
      { route: 'volume', id: true },
      { route: 'volume', id: null },
      { route: 5, id: '1' },
      { route: 'a:b', id: '1' },
      ['volume', '1'],
    ];
    for (const body of bodies) {
      const res = await f.as('alice', 'POST', '/admin/lock', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toEqual(reply('Missing parameters', 400));
    }
    const bad = await f.as('alice', 'POST', '/admin/lock', undefined, '{"route": ');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual(reply('Missing parameters', 400));
  });

  it('checks in order: 401 (no or bad token), 404 (unknown user), 403 (no manage-locks), then 400', async () => {
    const anon = await f.t.request('POST', '/admin/lock', { token: null, body: { route: 'v', id: '1' } });
    expect(anon.status).toBe(401);
    expect(anon.body).toEqual(reply('Unauthorized', 401));
    const bad = await f.t.request('POST', '/admin/lock', { headers: { Cookie: 'refreshToken=nope' }, body: {} });
    expect(bad.body).toEqual(reply('Unauthorized', 401));
    const ghost = await f.as('ghost', 'POST', '/admin/lock', {});
    expect(ghost.status).toBe(404);
    expect(ghost.body).toEqual(reply('Not found', 404));
    const reader = await f.as('rita', 'POST', '/admin/lock', {});
    expect(reader.status).toBe(403);
    expect(reader.body).toEqual(reply('Forbidden', 403));
  });

  it('accepts Authorization: Bearer as well as the cookie', async () => {
    const res = await f.t.request('POST', '/admin/lock', { token: await f.t.token('bob'), body: { route: 'share', id: '9' } });
    expect(res.body).toEqual(reply('Success', 200));
  });

  it('answers unknown paths and methods in the {data, code} envelope', async () => {
    const unknown = await f.as('alice', 'POST', '/admin/nothing', {});
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual(reply('Not found', 404));
    const wrong = await f.t.request('GET', '/admin/lock');
    expect(wrong.status).toBe(405);
    expect(wrong.body).toEqual(reply('Method Not Allowed', 405));
  });
});
