import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../../helpers/test-app.js';

describe('authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  const policy = (headers: Record<string, string>) => t.request('GET', '/v1/policy', { token: null, headers });

  it('accepts the admin token as Bearer or X-Auth-Token', async () => {
    expect((await policy({ Authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(200);
    expect((await policy({ 'X-Auth-Token': ADMIN_TOKEN })).status).toBe(200);
  });

  it('answers 401 in the envelope without, or with a wrong, credential', async () => {
    const none = await policy({});
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: { code: 401, message: 'The request you have made requires authentication.' } });
    expect((await policy({ Authorization: 'Bearer not-a-token' })).status).toBe(401);
    expect((await policy({ Authorization: `Basic ${ADMIN_TOKEN}` })).status).toBe(401);
  });

  it('verifies JWTs: subject and scope from claims, expiry honoured, roles never from the token', async () => {
    const admin = await t.token('admin', { system: true });
    expect((await policy({ Authorization: `Bearer ${admin}` })).status).toBe(200);
    const expired = await t.token('admin', { system: true }, -10);
    expect((await policy({ Authorization: `Bearer ${expired}` })).status).toBe(401);
    const stranger = await t.token('nobody', { system: true });
    expect((await policy({ Authorization: `Bearer ${stranger}` })).status).toBe(403);
  });

  it('rejects a JWT signed with another key', async () => {
    const foreign = await new SignJWT({ system: 'all' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('admin')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-0123456789abcdef'));
    expect((await policy({ Authorization: `Bearer ${foreign}` })).status).toBe(401);
  });
});
