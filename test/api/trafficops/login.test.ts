/**
 * Traffic Ops sessions: POST /api/4.x/user/login sets the `mojolicious` cookie the cdn_locks routes
 * read; POST /user/logout revokes it. Alerts and statuses as upstream's login handler.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { error, startToFixture, type ToFixture } from './to-fixture.js';

const cookieOf = (setCookie: string | null) => /mojolicious=([^;]*)/.exec(setCookie ?? '')?.[1];

describe('Traffic Ops login and logout', () => {
  let f: ToFixture;
  beforeAll(async () => {
    f = await startToFixture(['cdn-login']);
    await f.t.portcullis.context.services.passwords.set('alice', 'alice-pass-1', { revokeTokens: false });
  });
  afterAll(async () => f.t.close());

  const login = (body: unknown, version = '4.1') => f.t.request('POST', `/api/${version}/user/login`, { token: null, body });

  it('logs in with {u, p}, sets the mojolicious cookie, which then authenticates cdn_locks', async () => {
    for (const version of ['4.0', '4.1', '5.0']) {
      const res = await login({ u: 'alice', p: 'alice-pass-1' }, version);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ alerts: [{ text: 'Successfully logged in.', level: 'success' }] });
      const setCookie = res.headers.get('set-cookie');
      expect(setCookie).toMatch(/mojolicious=[^;]+; path=\/; expires=[^;]+; httponly/i);
      const listed = await f.t.request('GET', `/api/${version}/cdn_locks`, { headers: { Cookie: `mojolicious=${cookieOf(setCookie)}` } });
      expect(listed.status).toBe(200);
    }
  });

  it('answers 401 for a wrong password or unknown user, 400 without both fields', async () => {
    for (const body of [{ u: 'alice', p: 'wrong' }, { u: 'nobody', p: 'x' }, { u: 'bob', p: 'no-password-set' }]) {
      const res = await login(body);
      expect(res.status).toBe(401);
      expect(res.body).toEqual(error('Invalid username or password.'));
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    for (const body of [{ u: 'alice' }, { p: 'x' }, {}]) {
      const res = await login(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(error('username and password are required'));
    }
    expect((await login([1])).body).toEqual(error('json: cannot unmarshal array into Go value of type auth.PasswordForm'));
    expect((await login({ u: 7, p: 'x' })).body).toEqual(error('json: cannot unmarshal number into Go struct field PasswordForm.u of type string'));
  });

  it('logs out: the session cookie is expired and its token revoked', async () => {
    const res = await login({ u: 'alice', p: 'alice-pass-1' }, '4.0');
    const cookie = `mojolicious=${cookieOf(res.headers.get('set-cookie'))}`;
    const out = await f.t.request('POST', '/api/4.0/user/logout', { headers: { Cookie: cookie } });
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ alerts: [{ text: 'You are logged out.', level: 'success' }] });
    expect(out.headers.get('set-cookie')).toMatch(/mojolicious=; path=\/; expires=Thu, 01 Jan 1970/i);
    const after = await f.t.request('GET', '/api/4.0/cdn_locks', { headers: { Cookie: cookie } });
    expect(after.status).toBe(401);
    expect(after.body).toEqual(error('unauthorized, please log in.'));
    expect((await f.t.request('POST', '/api/4.0/user/logout', { token: null })).status).toBe(401);
  });
});
