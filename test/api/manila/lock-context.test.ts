/**
 * The caller's lock context (service > admin > user) and the lock-context table of docs/compatibility.md §2.4,
 * cell by cell, for update and delete. The requester is always the lock's owner, so the default
 * policy passes and only the table decides.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { LOCKS, grant, hex, lock, manila, share } from './manila-fixtures.js';

type Ctx = 'user' | 'admin' | 'service';
const DENIED = 'Resource lock cannot be manipulated by user. Please contact the administrator.';

/** allowed[lock_context][requester context] */
const TABLE: Record<Ctx, Record<Ctx, boolean>> = {
  user: { user: true, admin: true, service: true },
  admin: { user: false, admin: true, service: false },
  service: { user: false, admin: true, service: true },
};

describe('Manila: lock context', () => {
  let t: TestApp;
  const P = hex();
  const alice = hex(); // member of P; admin of P only while a test says so
  const svc = hex(); // holds the service role: its token is the X-Service-Token
  let aliceToken: string;
  let serviceToken: string;
  let shareId: string;

  /** Runs `fn` with alice in the given context. */
  async function as<T>(context: Ctx, fn: (headers: Record<string, string>) => Promise<T>): Promise<T> {
    const revoke = context === 'admin' ? await grant(t, alice, 'admin', { project: P }) : undefined;
    try {
      return await fn(context === 'service' ? { 'X-Service-Token': serviceToken } : {});
    } finally {
      await revoke?.();
    }
  }

  beforeAll(async () => {
    t = await startTestApp();
    await grant(t, alice, 'member', { project: P });
    await grant(t, svc, 'service', 'system');
    aliceToken = await t.token(alice, { project: P });
    serviceToken = await t.token(svc, { system: true });
    shareId = await share(t, P, { status: 'available' });
  });
  afterAll(async () => t.close());

  it('records the creator\'s context: user, admin, or service (service wins over admin)', async () => {
    for (const context of ['user', 'admin', 'service'] as const) {
      const l = await as(context, (headers) => lock(t, aliceToken, shareId, {}, headers));
      expect(l.lock_context).toBe(context);
      expect(l.user_id).toBe(alice);
    }
    const both = await grant(t, alice, 'admin', { project: P });
    const l = await lock(t, aliceToken, shareId, {}, { 'X-Service-Token': serviceToken });
    await both();
    expect(l.lock_context).toBe('service');
  });

  it('does not count a service token whose user lacks the service role, nor an invalid one', async () => {
    const plain = await t.token(hex(), { system: true });
    expect((await lock(t, aliceToken, shareId, {}, { 'X-Service-Token': plain })).lock_context).toBe('user');
    expect((await lock(t, aliceToken, shareId, {}, { 'X-Service-Token': 'garbage' })).lock_context).toBe('user');
  });

  for (const lockContext of ['user', 'admin', 'service'] as const) {
    for (const requester of ['user', 'admin', 'service'] as const) {
      const allowed = TABLE[lockContext][requester];
      it(`${lockContext} lock, ${requester} requester: ${allowed ? 'allowed' : 'denied'} (update and delete)`, async () => {
        const l = await as(lockContext, (headers) => lock(t, aliceToken, shareId, { lock_reason: 'before' }, headers));
        expect(l.lock_context).toBe(lockContext);
        const put = await as(requester, (headers) =>
          manila(t, 'PUT', `${LOCKS}/${l.id}`, { token: aliceToken, headers, body: { resource_lock: { lock_reason: 'after' } } }),
        );
        const del = await as(requester, (headers) => manila(t, 'DELETE', `${LOCKS}/${l.id}`, { token: aliceToken, headers }));
        if (allowed) {
          expect(put.status).toBe(200);
          expect(put.body.resource_lock.lock_reason).toBe('after');
          expect(del.status).toBe(204);
        } else {
          expect(put.status).toBe(403);
          expect(put.body).toEqual({ forbidden: { code: 403, message: DENIED } });
          expect(del.status).toBe(403);
          expect(del.body).toEqual({ forbidden: { code: 403, message: DENIED } });
          const still = await manila(t, 'GET', `${LOCKS}/${l.id}`, { token: aliceToken });
          expect(still.body.resource_lock.lock_reason).toBe('before');
        }
      });
    }
  }

  it('an admin who also sends a service token counts as service and cannot touch admin locks', async () => {
    const l = await as('admin', (headers) => lock(t, aliceToken, shareId, {}, headers));
    const revoke = await grant(t, alice, 'admin', { project: P });
    try {
      const res = await manila(t, 'DELETE', `${LOCKS}/${l.id}`, { token: aliceToken, headers: { 'X-Service-Token': serviceToken } });
      expect(res.status).toBe(403);
      expect(res.body.forbidden.message).toBe(DENIED);
      const plainAdmin = await manila(t, 'DELETE', `${LOCKS}/${l.id}`, { token: aliceToken });
      expect(plainAdmin.status).toBe(204);
    } finally {
      await revoke();
    }
  });
});
