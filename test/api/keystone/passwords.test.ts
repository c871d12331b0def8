/**
 * Passwords (never returned, argon2id in the password store), the password service other
 * families log users in with (throttled, logged without the password), and Portcullis-issued
 * tokens accepted by every family, until revoked.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../../src/domain/services.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { expectError, KeystoneClient, V3 } from './keystone-client.js';

const SECRET = 'correct horse battery staple';

describe('passwords and issued tokens', () => {
  let t: TestApp;
  let k: KeystoneClient;
  let services: Services;
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });

  beforeAll(async () => {
    t = await startTestApp({ PORTCULLIS_LOGIN_MAX_FAILURES: '3' }, { log: pino({ level: 'info' }, sink) });
    k = new KeystoneClient(t);
    services = t.portcullis.context.services;
  });
  afterAll(async () => t.close());

  async function userWithPassword(name: string, password = SECRET, domainId = 'default'): Promise<string> {
    const res = await t.request('POST', `${V3}/users`, { body: { user: { name, domain_id: domainId, password } } });
    expect(res.status, res.text).toBe(201);
    return res.body.user.id as string;
  }

  it('a password given on create is stored hashed (argon2id) and never returned', async () => {
    const id = await userWithPassword('pat');
    const shown = await t.request('GET', `${V3}/users/${id}`);
    const listed = await t.request('GET', `${V3}/users?name=pat`);
    for (const text of [shown.text, listed.text]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('argon2');
    }
    expect(shown.body.user).not.toHaveProperty('password');
    const record = await t.portcullis.context.stores.passwords.get(id);
    expect(record?.hash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
    expect(record?.hash).not.toContain(SECRET);
  });

  it('verifies by user id, by name in the default domain, and by name with a domain id or name', async () => {
    const domain = await k.domain('Staff');
    const id = await userWithPassword('vera', SECRET, domain);
    const source = { source: '192.0.2.1' };
    for (const login of [{ userId: id }, { name: 'vera', domainId: domain }, { name: 'vera', domainName: 'Staff' }]) {
      const ok = await services.passwords.verify(login, SECRET, source);
      expect(ok.ok && ok.user.id).toBe(id);
    }
    const inDefault = await userWithPassword('dora');
    const byName = await services.passwords.verify({ name: 'dora' }, SECRET, source);
    expect(byName.ok && byName.user.id).toBe(inDefault);
    // Same name, other domain, no password there: invalid.
    expect(await services.passwords.verify({ name: 'vera' }, SECRET, source)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('answers invalid alike for a wrong password, an unknown user, no password, a disabled user or domain', async () => {
    const source = { source: '192.0.2.2' };
    const id = await userWithPassword('wendy');
    const nopass = await k.user('nopass');
    const domain = await k.domain('Closed');
    await userWithPassword('carol', SECRET, domain);
    expect(await services.passwords.verify({ userId: id }, 'wrong', source)).toEqual({ ok: false, reason: 'invalid' });
    expect(await services.passwords.verify({ name: 'nobody' }, SECRET, source)).toEqual({ ok: false, reason: 'invalid' });
    expect(await services.passwords.verify({ userId: nopass }, '', source)).toEqual({ ok: false, reason: 'invalid' });
    await t.request('PATCH', `${V3}/domains/${domain}`, { body: { domain: { enabled: false } } });
    expect(await services.passwords.verify({ name: 'carol', domainId: domain }, SECRET, source)).toEqual({ ok: false, reason: 'invalid' });
    await t.request('PATCH', `${V3}/users/${id}`, { body: { user: { enabled: false } } });
    expect(await services.passwords.verify({ userId: id }, SECRET, { source: '192.0.2.3' })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('throttles failed logins per user and source, logging each failure without the password', async () => {
    const id = await userWithPassword('tina');
    const attacker = { source: '198.51.100.7' };
    for (let i = 0; i < 3; i++) {
      expect(await services.passwords.verify({ name: 'tina' }, `guess-${i}-hunter2`, attacker)).toEqual({ ok: false, reason: 'invalid' });
    }
    const throttled = await services.passwords.verify({ name: 'tina' }, SECRET, attacker);
    expect(throttled.ok).toBe(false);
    expect(!throttled.ok && throttled.reason).toBe('throttled');
    expect(!throttled.ok && throttled.reason === 'throttled' && throttled.retryAfterMs).toBeGreaterThan(0);
    // The same user from another address, and another user from the same address, still log in.
    expect((await services.passwords.verify({ userId: id }, SECRET, { source: '203.0.113.9' })).ok).toBe(true);
    await userWithPassword('uma');
    expect((await services.passwords.verify({ name: 'uma' }, SECRET, attacker)).ok).toBe(true);
    const failures = logLines.filter((l) => l.includes('"login_failed"') && l.includes('198.51.100.7'));
    expect(failures).toHaveLength(3);
    expect(failures[0]).toContain(`id:${id}`);
    expect(failures[0]).toContain('wrong password');
    expect(logLines.join('\n')).not.toContain('hunter2');
    expect(logLines.some((l) => l.includes('"login_throttled"'))).toBe(true);
  });

  it('PATCH sets a new password (the old one stops working) or removes it with null', async () => {
    const id = await userWithPassword('nick');
    const source = { source: '192.0.2.4' };
    const patched = await t.request('PATCH', `${V3}/users/${id}`, { body: { user: { password: 'n3w-secret' } } });
    expect(patched.status).toBe(200);
    expect(patched.text).not.toContain('n3w-secret');
    expect((await services.passwords.verify({ userId: id }, SECRET, source)).ok).toBe(false);
    expect((await services.passwords.verify({ userId: id }, 'n3w-secret', source)).ok).toBe(true);
    await t.request('PATCH', `${V3}/users/${id}`, { body: { user: { password: null } } });
    expect(await services.passwords.hasPassword(id)).toBe(false);
    expectError(await t.request('PATCH', `${V3}/users/${id}`, { body: { user: { password: 'x'.repeat(4097) } } }), 400);
  });

  it('POST /v3/users/{id}/password: the user changes its own password with the current one, no token needed', async () => {
    const id = await userWithPassword('olga');
    const path = `${V3}/users/${id}/password`;
    const wrong = await t.request('POST', path, { token: null, body: { user: { password: 'next-1', original_password: 'nope' } } });
    expectError(wrong, 401, 'The request you have made requires authentication.');
    expectError(await t.request('POST', path, { token: null, body: { user: { password: 'next-1' } } }), 400);
    expectError(
      await t.request('POST', `${V3}/users/nobody/password`, { token: null, body: { user: { password: 'a', original_password: 'b' } } }),
      401,
    );
    const ok = await t.request('POST', path, { token: null, body: { user: { password: 'next-1', original_password: SECRET } } });
    expect(ok.status).toBe(204);
    expect((await services.passwords.verify({ userId: id }, 'next-1', { source: '192.0.2.5' })).ok).toBe(true);
    expect((await t.request('GET', path)).status).toBe(405);
  });

  it('an issued token is accepted by every family, wherever today\'s credentials are', async () => {
    const id = await userWithPassword('tom');
    const project = await k.project('tom-project');
    await k.grant(`/projects/${project}/users/${id}/roles/${await k.roleId('member')}`);
    const token = await services.tokens.issue(id, { type: 'project', id: project }, { methods: ['password'] });
    expect(token.expiresAt.getTime() - token.issuedAt.getTime()).toBeGreaterThan(3590_000);
    const me = await t.request('GET', `${V3}/users/${id}`, { headers: { 'X-Auth-Token': token.id } });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(id);
    const calls: [string, string, Record<string, string>][] = [
      ['GET', `${V3}/users/${id}`, { Authorization: `Bearer ${token.id}` }],
      ['GET', '/share/v2/resource-locks', { 'X-Auth-Token': token.id, 'X-OpenStack-Manila-API-Version': '2.81' }],
      ['GET', '/api/4.0/cdn_locks', { Cookie: `mojolicious=${token.id}` }],
      ['POST', '/admin/lock', { Cookie: `refreshToken=${token.id}` }],
      ['GET', '/v1/policy', { Authorization: `Bearer ${token.id}` }],
      ['GET', '/api/vms', { 'X-Auth-Token': token.id }],
    ];
    for (const [method, path, headers] of calls) {
      const res = await t.request(method, path, { headers, ...(method === 'POST' ? { body: {} } : {}) });
      expect(res.status, `${method} ${path}: ${res.text}`).not.toBe(401);
      const forged = token.id.slice(0, -4) + (token.id.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      const bad = await t.request(method, path, {
        headers: Object.fromEntries(Object.entries(headers).map(([h, v]) => [h, v.replace(token.id, forged)])),
        ...(method === 'POST' ? { body: {} } : {}),
      });
      expect(bad.status, `${method} ${path} with a forged token`).toBe(401);
    }
  });

  it('tokens stop working when revoked, on a password change, while the user is disabled, and with their project', async () => {
    const id = await userWithPassword('rita');
    const project = await k.project('rita-project');
    const use = (token: string) => t.request('GET', `${V3}/users/${id}`, { headers: { 'X-Auth-Token': token } });
    const a = await services.tokens.issue(id, { type: 'project', id: project });
    const b = await services.tokens.issue(id, { type: 'unscoped' });
    await services.tokens.revoke(a);
    expect((await use(a.id)).status).toBe(401);
    expect((await use(b.id)).status).toBe(200);
    await t.request('PATCH', `${V3}/users/${id}`, { body: { user: { password: 'changed-1' } } });
    expect((await use(b.id)).status).toBe(401);
    const c = await services.tokens.issue(id, { type: 'unscoped' });
    expect((await use(c.id)).status).toBe(200);
    await t.request('PATCH', `${V3}/users/${id}`, { body: { user: { enabled: false } } });
    expect((await use(c.id)).status).toBe(401);
    await t.request('PATCH', `${V3}/users/${id}`, { body: { user: { enabled: true } } });
    expect((await use(c.id)).status).toBe(401); // disabling revoked it for good, as in Keystone
    const d = await services.tokens.issue(id, { type: 'project', id: project });
    expect((await use(d.id)).status).toBe(200);
    await t.request('DELETE', `${V3}/projects/${project}`);
    expect((await use(d.id)).status).toBe(401);
    await expect(services.tokens.issue(id, { type: 'project', id: project })).rejects.toThrow(/requires authentication/);
  });

  it('a token issued in the millisecond its user\'s tokens were revoked is not born revoked', async () => {
    const id = await userWithPassword('rosa');
    // A revocation covering the next few milliseconds: what a login right after a password change meets.
    const now = Date.now();
    await t.portcullis.context.stores.tokens.revoke({ kind: 'user', userId: id, issuedBefore: now + 2, expiresAt: now + 60_000 });
    const token = await services.tokens.issue(id, { type: 'unscoped' });
    expect(token.issuedAt.getTime()).toBeGreaterThan(now + 2);
    expect(await services.tokens.validate(token.id)).toBeDefined();
  });

  it('an unscoped token holds no roles, even for a system admin', async () => {
    await t.request('PATCH', `${V3}/users/admin`, { body: { user: { password: 'admin-pw' } } });
    const unscoped = await services.tokens.issue('admin', { type: 'unscoped' });
    expect((await t.request('GET', `${V3}/roles`, { headers: { 'X-Auth-Token': unscoped.id } })).status).toBe(403);
    const system = await services.tokens.issue('admin', { type: 'system' });
    expect((await t.request('GET', `${V3}/roles`, { headers: { 'X-Auth-Token': system.id } })).status).toBe(200);
  });
});
