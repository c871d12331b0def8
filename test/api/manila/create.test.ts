/** POST /v2/resource-locks (docs/compatibility.md §2.3 create, M-1, M-2, M-3, M-5, M-8). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { LOCKS, grant, hex, lock, manila, share } from './manila-fixtures.js';

describe('Manila: create a resource lock', () => {
  let t: TestApp;
  const P = hex();
  const Q = hex();
  const alice = hex(); // member of P
  const rita = hex(); // reader of P
  const quentin = hex(); // member of Q
  let aliceToken: string;
  const post = (token: string, body: unknown, path = LOCKS) => manila(t, 'POST', path, { token, body });

  beforeAll(async () => {
    t = await startTestApp();
    await grant(t, alice, 'member', { project: P });
    await grant(t, rita, 'reader', { project: P });
    await grant(t, quentin, 'member', { project: Q });
    aliceToken = await t.token(alice, { project: P });
  });
  afterAll(async () => t.close());

  it('answers 200 with the lock: caller ids, user context, defaults, Manila timestamps and links', async () => {
    const id = await share(t, P, { status: 'available' });
    const res = await post(aliceToken, { resource_lock: { resource_id: id, lock_reason: 'Locked for deletion until year end audit.' } });
    expect(res.status).toBe(200);
    const l = res.body.resource_lock;
    expect(l).toMatchObject({
      user_id: alice,
      project_id: P,
      lock_context: 'user',
      resource_type: 'share',
      resource_id: id,
      resource_action: 'delete',
      lock_reason: 'Locked for deletion until year end audit.',
      updated_at: null,
    });
    expect(l.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(l.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
    expect(l.links).toEqual([
      { rel: 'self', href: `${t.url}/share/v2/resource-locks/${l.id}` },
      { rel: 'bookmark', href: `${t.url}/share/resource-locks/${l.id}` },
    ]);
  });

  it('builds links from the prefix used, with the project-id segment when the path had one', async () => {
    const id = await share(t, P);
    const plain = await post(aliceToken, { resource_lock: { resource_id: id } }, '/v2/resource-locks');
    expect(plain.status).toBe(200);
    expect(plain.body.resource_lock.links[0].href).toBe(`${t.url}/v2/resource-locks/${plain.body.resource_lock.id}`);
    expect(plain.body.resource_lock.links[1].href).toBe(`${t.url}/resource-locks/${plain.body.resource_lock.id}`);
    const scoped = await post(aliceToken, { resource_lock: { resource_id: id } }, `/share/v2/${P}/resource-locks`);
    expect(scoped.status).toBe(200);
    const lid = scoped.body.resource_lock.id;
    expect(scoped.body.resource_lock.links[0].href).toBe(`${t.url}/share/v2/${P}/resource-locks/${lid}`);
    expect(scoped.body.resource_lock.links[1].href).toBe(`${t.url}/share/${P}/resource-locks/${lid}`);
  });

  it('uses the configured public URL in links', async () => {
    const pub = await startTestApp({ PORTCULLIS_PUBLIC_URL: 'https://manila.example.com' });
    try {
      const id = await share(pub, 'p1');
      const res = await manila(pub, 'POST', LOCKS, { body: { resource_lock: { resource_id: id } } });
      expect(res.status).toBe(200);
      expect(res.body.resource_lock.links[0].href).toBe(`https://manila.example.com/share/v2/resource-locks/${res.body.resource_lock.id}`);
    } finally {
      await pub.close();
    }
  });

  it('defaults resource_type and resource_action when null or empty, and keeps a null lock_reason', async () => {
    const id = await share(t, P);
    const res = await post(aliceToken, { resource_lock: { resource_id: id, resource_type: null, resource_action: '', lock_reason: null } });
    expect(res.status).toBe(200);
    expect(res.body.resource_lock).toMatchObject({ resource_type: 'share', resource_action: 'delete', lock_reason: null });
  });

  it('allows several locks on the same resource and action, even by the same user (M-8)', async () => {
    const id = await share(t, P);
    const a = await lock(t, aliceToken, id);
    const b = await lock(t, aliceToken, id);
    expect(a.id).not.toBe(b.id);
  });

  it('records the caller, not the resource, when an admin locks another project\'s share (M-3)', async () => {
    const id = await share(t, Q);
    const res = await manila(t, 'POST', LOCKS, { body: { resource_lock: { resource_id: id } } });
    expect(res.status).toBe(200);
    expect(res.body.resource_lock).toMatchObject({ user_id: 'admin', project_id: '', lock_context: 'admin' });
  });

  it('lets a holder of the service role lock any project\'s share (in user context without a service token)', async () => {
    const svc = hex();
    const S = hex();
    await grant(t, svc, 'service', { project: S });
    const id = await share(t, P);
    const res = await post(await t.token(svc, { project: S }), { resource_lock: { resource_id: id } });
    expect(res.status).toBe(200);
    expect(res.body.resource_lock).toMatchObject({ user_id: svc, project_id: S, lock_context: 'user' });
  });

  it('validates the body with 400 badRequest', async () => {
    const id = await share(t, P);
    const cases: [unknown, string | RegExp][] = [
      [{}, 'Malformed request body.'],
      [[], 'Malformed request body.'],
      [{ resource_lock: 'share' }, 'Malformed request body.'],
      [{ resource_lock: { resource_id: id, color: 'red' } }, /Additional properties are not allowed \('color' was unexpected\)/],
      [{ resource_lock: {} }, 'Resource ID is required and must be in uuid format.'],
      [{ resource_lock: { resource_id: 'not-a-uuid' } }, 'Resource ID is required and must be in uuid format.'],
      [{ resource_lock: { resource_id: 42 } }, 'Resource ID is required and must be in uuid format.'],
      [{ resource_lock: { resource_id: id, resource_type: 'volume' } }, "'resource_type' is required and must be one of ('share',)"],
      [{ resource_lock: { resource_id: id, resource_action: 'show' } }, "'resource_action' can only be one of ['delete']"],
      [{ resource_lock: { resource_id: id, lock_reason: 'x'.repeat(1024) } }, "'lock_reason' can contain a maximum of 1023 characters."],
      [{ resource_lock: { resource_id: id, lock_reason: 7 } }, /^Invalid input for field\/attribute lock_reason\. Value: 7\./],
    ];
    for (const [body, message] of cases) {
      const res = await post(aliceToken, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(res.body)).toEqual(['badRequest']);
      if (typeof message === 'string') expect(res.body.badRequest.message).toBe(message);
      else expect(res.body.badRequest.message).toMatch(message);
    }
    const ok = await post(aliceToken, { resource_lock: { resource_id: id, lock_reason: 'x'.repeat(1023) } });
    expect(ok.status).toBe(200);
  });

  it('answers 400 No such resource found. for an unregistered or invisible resource (M-2)', async () => {
    const missing = await post(aliceToken, { resource_lock: { resource_id: '5a313549-d346-44b6-9650-738ce08a9fee' } });
    expect(missing.status).toBe(400);
    expect(missing.body.badRequest.message).toBe('No such resource found.');
    const elsewhere = await share(t, Q);
    const hidden = await post(aliceToken, { resource_lock: { resource_id: elsewhere } });
    expect(hidden.status).toBe(400);
    expect(hidden.body.badRequest.message).toBe('No such resource found.');
  });

  it('answers 403 when policy refuses: a reader, or a public share of another project', async () => {
    const id = await share(t, P);
    const reader = await post(await t.token(rita, { project: P }), { resource_lock: { resource_id: id } });
    expect(reader.status).toBe(403);
    expect(reader.body).toEqual({ forbidden: { code: 403, message: "Policy doesn't allow resource_lock:create to be performed." } });
    const nobody = await post(await t.token(hex(), { project: P }), { resource_lock: { resource_id: id } });
    expect(nobody.status).toBe(403);
    const pub = await share(t, Q, { attributes: { is_public: true } });
    const foreign = await post(aliceToken, { resource_lock: { resource_id: pub } });
    expect(foreign.status).toBe(403);
    expect(foreign.body.forbidden.message).toBe("Policy doesn't allow resource_lock:create to be performed.");
    const owner = await post(await t.token(quentin, { project: Q }), { resource_lock: { resource_id: pub } });
    expect(owner.status).toBe(200);
  });

  it('answers 409 for a share in a state unsuitable for locking, or soft-deleted', async () => {
    for (const status of ['deleting', 'error_deleting', 'unmanaging', 'manage_error_unmanaging', 'unmanage_error', 'unmanaged', 'deleted']) {
      const id = await share(t, P, { status });
      const res = await post(aliceToken, { resource_lock: { resource_id: id } });
      expect(res.status, status).toBe(409);
      expect(res.body).toEqual({
        conflictingRequest: { code: 409, message: 'Invalid input received: Resource status not suitable for locking.' },
      });
    }
    const binned = await share(t, P, { status: 'available', attributes: { is_soft_deleted: true } });
    const res = await post(aliceToken, { resource_lock: { resource_id: binned } });
    expect(res.status).toBe(409);
    expect(res.body.conflictingRequest.message).toBe('Invalid input received: Resource cannot be locked since it has been soft deleted.');
  });
});
