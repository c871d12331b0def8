import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { error, startToFixture, V4_TIME, V5_TIME, type ToFixture } from './to-fixture.js';

const PATH = '/api/4.0/cdn_locks';

describe('POST /api/4.0/cdn_locks', () => {
  let f: ToFixture;
  beforeAll(async () => {
    f = await startToFixture(['c-soft', 'c-hard', 'c-shared', 'c-empty', 'c-dup', 'c-v5', 'c-41', 'c-slash', 'c-cookie', 'c-free']);
  });
  afterAll(async () => f.t.close());

  it('acquires a soft lock by default (T-1), owned by the caller, with upstream nulls', async () => {
    const res = await f.as('alice', 'POST', PATH, { body: { cdn: 'c-soft', userName: 'mallory' } });
    expect(res.status).toBe(201);
    expect(res.body.alerts).toEqual([{ text: 'soft CDN lock acquired!', level: 'success' }]);
    expect(res.body.response).toMatchObject({ userName: 'alice', cdn: 'c-soft', message: null, soft: true, sharedUserNames: null });
    expect(res.body.response.lastUpdated).toMatch(V4_TIME);
  });

  it('acquires a hard lock with a message', async () => {
    const res = await f.as('alice', 'POST', PATH, { body: { cdn: 'c-hard', soft: false, message: 'snap' } });
    expect(res.status).toBe(201);
    expect(res.body.alerts[0].text).toBe('hard CDN lock acquired!');
    expect(res.body.response).toMatchObject({ soft: false, message: 'snap' });
  });

  it('shares with users who may lock, and echoes the list; [] echoes []', async () => {
    const shared = await f.as('alice', 'POST', PATH, { body: { cdn: 'c-shared', soft: true, sharedUserNames: ['bob', 'carol'] } });
    expect(shared.status).toBe(201);
    expect(shared.body.response.sharedUserNames).toEqual(['bob', 'carol']);
    const empty = await f.as('alice', 'POST', PATH, { body: { cdn: 'c-empty', sharedUserNames: [] } });
    expect(empty.status).toBe(201);
    expect(empty.body.response.sharedUserNames).toEqual([]);
  });

  it('answers 400 for a missing or empty cdn', async () => {
    for (const body of [{}, { cdn: '' }, { cdn: null, soft: true }]) {
      const res = await f.as('alice', 'POST', PATH, { body });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(error("field 'cdn' must be present"));
    }
  });

  it('refuses shared users who do not exist, may not lock, or are listed twice', async () => {
    const msg = error('shared users must exist and have the correct permissions to create a lock');
    for (const sharedUserNames of [['nobody'], ['rita'], ['bob', 'nobody'], ['bob', 'bob'], [null]]) {
      const res = await f.as('alice', 'POST', PATH, { body: { cdn: 'c-free', sharedUserNames } });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(msg);
    }
  });

  it('refuses sharing with oneself', async () => {
    const res = await f.as('alice', 'POST', PATH, { body: { cdn: 'c-free', sharedUserNames: ['bob', 'alice'] } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(error('shared username cannot be the same as the one creating the lock'));
  });

  it('answers 404 for a CDN that is not registered', async () => {
    const res = await f.as('alice', 'POST', PATH, { body: { cdn: 'nope' } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual(error('cdn not found'));
  });

  it('answers 400 for a second lock on the same CDN, whoever asks (T-2)', async () => {
    expect((await f.as('alice', 'POST', PATH, { body: { cdn: 'c-dup' } })).status).toBe(201);
    for (const who of ['alice', 'bob', 'admin']) {
      const res = await f.as(who, 'POST', PATH, { body: { cdn: 'c-dup', soft: false } });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(error("cdn_lock cdn 'c-dup' already exists."));
    }
  });

  it('reports bad JSON and wrong types in the alerts envelope', async () => {
    const bad = await f.as('alice', 'POST', PATH, { raw: '{"cdn": ' });
    expect(bad.status).toBe(400);
    expect(bad.body.alerts[0].level).toBe('error');
    expect(bad.body.alerts[0].text).toMatch(/^invalid JSON body/);
    const cases: [unknown, string][] = [
      [{ cdn: 5 }, 'json: cannot unmarshal number into Go struct field CDNLock.cdn of type string'],
      [{ cdn: 'x', soft: 'yes' }, 'json: cannot unmarshal string into Go struct field CDNLock.soft of type bool'],
      [{ cdn: 'x', sharedUserNames: 'bob' }, 'json: cannot unmarshal string into Go struct field CDNLock.sharedUserNames of type []string'],
      [{ cdn: 'x', sharedUserNames: [1] }, 'json: cannot unmarshal number into Go struct field CDNLock.sharedUserNames of type string'],
      [['x'], 'json: cannot unmarshal array into Go value of type tc.CDNLock'],
    ];
    for (const [body, text] of cases) {
      const res = await f.as('alice', 'POST', PATH, { body });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(error(text));
    }
  });

  it('answers 403 naming the missing permissions, before looking at the body', async () => {
    const reader = await f.as('rita', 'POST', PATH, { body: { cdn: 'c-free' } });
    expect(reader.status).toBe(403);
    expect(reader.body).toEqual(error('missing required Permissions: CDN-LOCK:CREATE'));
    const nobody = await f.as('nora', 'POST', PATH, { body: { cdn: 5 } });
    expect(nobody.status).toBe(403);
    expect(nobody.body).toEqual(error('missing required Permissions: CDN-LOCK:CREATE, CDN:READ'));
  });

  it('answers 401 without a valid session, and accepts the mojolicious cookie', async () => {
    const none = await f.t.request('POST', PATH, { token: null, body: { cdn: 'c-free' } });
    expect(none.status).toBe(401);
    expect(none.body).toEqual(error('unauthorized, please log in.'));
    const bad = await f.t.request('POST', PATH, { headers: { Cookie: 'mojolicious=garbage' }, body: { cdn: 'c-free' } });
    expect(bad.status).toBe(401);
    const ghost = await f.t.request('POST', PATH, { token: await f.t.token('ghost'), body: { cdn: 'c-free' } });
    expect(ghost.status).toBe(401);
    expect(ghost.body).toEqual(error('unauthorized, please log in.'));
    const cookie = await f.t.request('POST', PATH, { headers: { Cookie: `mojolicious=${f.tokens.bob}` }, body: { cdn: 'c-cookie' } });
    expect(cookie.status).toBe(201);
    expect(cookie.body.response.userName).toBe('bob');
  });

  it('serves 4.1 and 5.0 (RFC 3339 without fraction), and a trailing slash', async () => {
    const v5 = await f.as('alice', 'POST', '/api/5.0/cdn_locks', { body: { cdn: 'c-v5' } });
    expect(v5.status).toBe(201);
    expect(v5.body.response.lastUpdated).toMatch(V5_TIME);
    const v41 = await f.as('alice', 'POST', '/api/4.1/cdn_locks', { body: { cdn: 'c-41' } });
    expect(v41.status).toBe(201);
    expect(v41.body.response.lastUpdated).toMatch(V4_TIME);
    const slash = await f.as('alice', 'POST', '/api/4.0/cdn_locks/', { body: { cdn: 'c-slash' } });
    expect(slash.status).toBe(201);
  });
});
