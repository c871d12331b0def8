/** GET, PUT and DELETE /v2/resource-locks/{id} (docs/compatibility.md §2.3 show, update, delete; §2.4 default policies). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { LOCKS, grant, hex, lock, manila, share } from './manila-fixtures.js';

describe('Manila: show, update and delete a resource lock', () => {
  let t: TestApp;
  const P = hex();
  const Q = hex();
  const alice = hex(); // member of P, creates the locks
  const bob = hex(); // member of P
  const rita = hex(); // reader of P
  const quentin = hex(); // member of Q
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    await grant(t, alice, 'member', { project: P });
    await grant(t, bob, 'member', { project: P });
    await grant(t, rita, 'reader', { project: P });
    await grant(t, quentin, 'member', { project: Q });
    tokens.alice = await t.token(alice, { project: P });
    tokens.bob = await t.token(bob, { project: P });
    tokens.rita = await t.token(rita, { project: P });
    tokens.quentin = await t.token(quentin, { project: Q });
  });
  afterAll(async () => t.close());

  it('shows a lock to readers of its project and to admins; 404 to other projects', async () => {
    const l = await lock(t, tokens.alice!, await share(t, P), { lock_reason: 'r' });
    const mine = await manila(t, 'GET', `${LOCKS}/${l.id}`, { token: tokens.rita! });
    expect(mine.status).toBe(200);
    expect(mine.body.resource_lock).toEqual(l);
    const admin = await manila(t, 'GET', `${LOCKS}/${l.id}`);
    expect(admin.status).toBe(200);
    const other = await manila(t, 'GET', `${LOCKS}/${l.id}`, { token: tokens.quentin! });
    expect(other.status).toBe(404);
    expect(other.body).toEqual({ itemNotFound: { code: 404, message: `Resource lock ${l.id} could not be found.` } });
    const scoped = await manila(t, 'GET', `/v2/${P}/resource-locks/${l.id}`, { token: tokens.alice! });
    expect(scoped.body.resource_lock.links[0].href).toBe(`${t.url}/v2/${P}/resource-locks/${l.id}`);
  });

  it('answers 403 when policy refuses get (no role in the project)', async () => {
    const res = await manila(t, 'GET', `${LOCKS}/whatever`, { token: await t.token(hex(), { project: P }) });
    expect(res.status).toBe(403);
    expect(res.body.forbidden.message).toBe("Policy doesn't allow resource_lock:get to be performed.");
  });

  it('updates lock_reason and resource_action, with a fresh updated_at', async () => {
    const l = await lock(t, tokens.alice!, await share(t, P, { status: 'available' }), { lock_reason: 'old' });
    const res = await manila(t, 'PUT', `${LOCKS}/${l.id}`, {
      token: tokens.alice!,
      body: { resource_lock: { lock_reason: 'This is a protected share', resource_action: 'delete' } },
    });
    expect(res.status).toBe(200);
    expect(res.body.resource_lock).toMatchObject({ id: l.id, lock_reason: 'This is a protected share', resource_action: 'delete' });
    expect(res.body.resource_lock.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
    const cleared = await manila(t, 'PUT', `${LOCKS}/${l.id}`, { token: tokens.alice!, body: { resource_lock: { lock_reason: null } } });
    expect(cleared.body.resource_lock.lock_reason).toBeNull();
    const shown = await manila(t, 'GET', `${LOCKS}/${l.id}`, { token: tokens.alice! });
    expect(shown.body.resource_lock.lock_reason).toBeNull();
  });

  it('validates the update body with 400 and leaves the lock as it was', async () => {
    const l = await lock(t, tokens.alice!, await share(t, P), { lock_reason: 'kept' });
    const cases: [unknown, string][] = [
      [{}, 'Malformed request body.'],
      [{ resource_lock: { resource_type: 'share' } }, "Only 'resource_action' and 'lock_reason' can be updated."],
      [{ resource_lock: { resource_id: l.resource_id } }, "Only 'resource_action' and 'lock_reason' can be updated."],
      [{ resource_lock: { lock_reason: 'y'.repeat(1024) } }, "'lock_reason' can contain a maximum of 1023 characters."],
      [{ resource_lock: { resource_action: 'show' } }, "'resource_action' can only be one of ['delete']"],
    ];
    for (const [body, message] of cases) {
      const res = await manila(t, 'PUT', `${LOCKS}/${l.id}`, { token: tokens.alice!, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toEqual({ badRequest: { code: 400, message } });
    }
    const shown = await manila(t, 'GET', `${LOCKS}/${l.id}`, { token: tokens.alice! });
    expect(shown.body.resource_lock).toEqual(l);
  });

  it('re-runs the state check when resource_action changes: 400 on update (M-2)', async () => {
    const id = await share(t, P, { status: 'available' });
    const l = await lock(t, tokens.alice!, id);
    await t.request('PUT', `/v1/resources/share/${id}`, { body: { project_id: P, status: 'deleting' } });
    const res = await manila(t, 'PUT', `${LOCKS}/${l.id}`, { token: tokens.alice!, body: { resource_lock: { resource_action: 'delete' } } });
    expect(res.status).toBe(400);
    expect(res.body.badRequest.message).toBe('Invalid input received: Resource status not suitable for locking.');
    const reasonOnly = await manila(t, 'PUT', `${LOCKS}/${l.id}`, { token: tokens.alice!, body: { resource_lock: { lock_reason: 'fine' } } });
    expect(reasonOnly.status).toBe(200);
  });

  it('answers 404 for an unknown or invisible lock on update and delete', async () => {
    const l = await lock(t, tokens.alice!, await share(t, P));
    for (const method of ['PUT', 'DELETE']) {
      const missing = await manila(t, method, `${LOCKS}/no-such-lock`, { token: tokens.alice!, body: { resource_lock: {} } });
      expect(missing.status).toBe(404);
      expect(missing.body.itemNotFound.message).toBe('Resource lock no-such-lock could not be found.');
      const foreign = await manila(t, method, `${LOCKS}/${l.id}`, { token: tokens.quentin!, body: { resource_lock: {} } });
      expect(foreign.status).toBe(404);
    }
  });

  it('lets only the lock owner (or admin or service) update and delete: 403 for another member', async () => {
    const l = await lock(t, tokens.alice!, await share(t, P));
    const put = await manila(t, 'PUT', `${LOCKS}/${l.id}`, { token: tokens.bob!, body: { resource_lock: { lock_reason: 'mine now' } } });
    expect(put.status).toBe(403);
    expect(put.body).toEqual({ forbidden: { code: 403, message: "Policy doesn't allow resource_lock:update to be performed." } });
    const del = await manila(t, 'DELETE', `${LOCKS}/${l.id}`, { token: tokens.bob! });
    expect(del.status).toBe(403);
    expect(del.body.forbidden.message).toBe("Policy doesn't allow resource_lock:delete to be performed.");
    const svc = hex();
    await grant(t, svc, 'service', { project: P });
    const serviceRole = await manila(t, 'PUT', `${LOCKS}/${l.id}`, {
      token: await t.token(svc, { project: P }),
      body: { resource_lock: { lock_reason: 'service role' } },
    });
    expect(serviceRole.status).toBe(200);
    const admin = await manila(t, 'PUT', `${LOCKS}/${l.id}`, { body: { resource_lock: { lock_reason: 'admin' } } });
    expect(admin.status).toBe(200);
  });

  it('deletes with 204 and no body; the lock is then gone', async () => {
    const l = await lock(t, tokens.alice!, await share(t, P));
    const res = await manila(t, 'DELETE', `${LOCKS}/${l.id}`, { token: tokens.alice! });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    const again = await manila(t, 'GET', `${LOCKS}/${l.id}`, { token: tokens.alice! });
    expect(again.status).toBe(404);
    const listed = await manila(t, 'GET', `${LOCKS}?id=${l.id}`, { token: tokens.alice! });
    expect(listed.body.resource_locks).toEqual([]);
  });

  it('drops a share\'s locks when the share is unregistered', async () => {
    const id = await share(t, P);
    const l = await lock(t, tokens.alice!, id);
    expect((await t.request('DELETE', `/v1/resources/share/${id}`)).status).toBe(204);
    expect((await manila(t, 'GET', `${LOCKS}/${l.id}`, { token: tokens.alice! })).status).toBe(404);
  });
});
