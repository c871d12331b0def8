import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { error, startToFixture, V5_TIME, type ToFixture } from './to-fixture.js';

const PATH = '/api/4.0/cdn_locks';

describe('GET /api/4.0/cdn_locks', () => {
  let f: ToFixture;
  const cdns = (res: { body: { response: { cdn: string }[] } }) => res.body.response.map((l) => l.cdn);

  beforeAll(async () => {
    f = await startToFixture(['cdn-a', 'cdn-b', 'cdn-c', 'cdn-d']);
    const create = async (user: string, body: Record<string, unknown>) => {
      const res = await f.as(user, 'POST', PATH, { body });
      if (res.status !== 201) throw new Error(res.text);
    };
    await create('bob', { cdn: 'cdn-c', sharedUserNames: ['carol'] });
    await create('alice', { cdn: 'cdn-a', soft: false, message: 'snap' });
    await create('carol', { cdn: 'cdn-b' });
    await create('alice', { cdn: 'cdn-d' });
  });
  afterAll(async () => f.t.close());

  it('lists every lock to any reader, ordered by cdn, with [] for no shared users', async () => {
    const res = await f.as('rita', 'GET', PATH);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['response']);
    expect(cdns(res)).toEqual(['cdn-a', 'cdn-b', 'cdn-c', 'cdn-d']);
    expect(res.body.response[0]).toMatchObject({ userName: 'alice', message: 'snap', soft: false, sharedUserNames: [] });
    expect(res.body.response[2]).toMatchObject({ userName: 'bob', sharedUserNames: ['carol'] });
  });

  it('filters by cdn and by username, ANDed when both are given', async () => {
    expect(cdns(await f.as('rita', 'GET', `${PATH}?cdn=cdn-b`))).toEqual(['cdn-b']);
    expect(cdns(await f.as('rita', 'GET', `${PATH}?username=alice`))).toEqual(['cdn-a', 'cdn-d']);
    expect(cdns(await f.as('rita', 'GET', `${PATH}?username=alice&cdn=cdn-d`))).toEqual(['cdn-d']);
    expect(cdns(await f.as('rita', 'GET', `${PATH}?username=alice&cdn=cdn-b`))).toEqual([]);
    expect(cdns(await f.as('rita', 'GET', `${PATH}?username=nobody`))).toEqual([]);
  });

  it('sorts by orderby and sortOrder', async () => {
    expect(cdns(await f.as('rita', 'GET', `${PATH}?sortOrder=desc`))).toEqual(['cdn-d', 'cdn-c', 'cdn-b', 'cdn-a']);
    expect(cdns(await f.as('rita', 'GET', `${PATH}?orderby=username`))).toEqual(['cdn-a', 'cdn-d', 'cdn-c', 'cdn-b']);
    expect(cdns(await f.as('rita', 'GET', `${PATH}?orderby=username&sortOrder=desc`))).toEqual(['cdn-b', 'cdn-c', 'cdn-a', 'cdn-d']);
  });

  it('pages with limit, offset and page; limit=-1 means all', async () => {
    expect(cdns(await f.as('rita', 'GET', `${PATH}?limit=2`))).toEqual(['cdn-a', 'cdn-b']);
    expect(cdns(await f.as('rita', 'GET', `${PATH}?limit=2&page=2`))).toEqual(['cdn-c', 'cdn-d']);
    expect(cdns(await f.as('rita', 'GET', `${PATH}?limit=2&offset=3`))).toEqual(['cdn-d']);
    expect(cdns(await f.as('rita', 'GET', `${PATH}?limit=-1`))).toHaveLength(4);
    expect(cdns(await f.as('rita', 'GET', `${PATH}?limit=0`))).toEqual([]);
  });

  it('answers 400 with every invalid parameter collected', async () => {
    const one = await f.as('rita', 'GET', `${PATH}?limit=-2`);
    expect(one.status).toBe(400);
    expect(one.body).toEqual(error('limit parameter must be bigger than -1'));
    const all = await f.as('rita', 'GET', `${PATH}?orderby=message&sortOrder=up&limit=x&offset=0&page=0`);
    expect(all.status).toBe(400);
    expect(all.body).toEqual(
      error(
        'orderby must be one of: cdn, username, sortOrder must be asc or desc, limit parameter must be bigger than -1, ' +
          'offset parameter must be a positive integer, page parameter must be a positive integer',
      ),
    );
  });

  it('answers 403 to a user without CDN:READ and 401 without a session', async () => {
    const res = await f.as('nora', 'GET', PATH);
    expect(res.status).toBe(403);
    expect(res.body).toEqual(error('missing required Permissions: CDN:READ'));
    const beforeParams = await f.as('nora', 'GET', `${PATH}?limit=x`);
    expect(beforeParams.status).toBe(403);
    const anon = await f.t.request('GET', PATH, { token: null });
    expect(anon.status).toBe(401);
    expect(anon.body).toEqual(error('unauthorized, please log in.'));
  });

  it('formats lastUpdated per version', async () => {
    const res = await f.as('rita', 'GET', '/api/5.0/cdn_locks?cdn=cdn-a');
    expect(res.body.response[0].lastUpdated).toMatch(V5_TIME);
  });

  it('answers unknown paths and methods in the alerts envelope', async () => {
    const unknown = await f.as('rita', 'GET', '/api/4.0/no_such_thing');
    expect(unknown.status).toBe(404);
    expect(unknown.body.alerts[0].level).toBe('error');
    const put = await f.as('alice', 'PUT', PATH, { body: {} });
    expect(put.status).toBe(405);
    expect(put.body.alerts[0]).toMatchObject({ level: 'error' });
    expect(put.body.alerts[0].text).toMatch(/PUT/);
  });
});
