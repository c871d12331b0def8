/**
 * Manila locks in decisions (docs/compatibility.md §2.5, §7 M-7, §8.2): a delete lock on a share denies delete,
 * soft_delete, unmanage and transfer through AuthZEN for everyone, citing the lock and the p3 row
 * in policies/lock-effects.csv, until the lock is deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { LOCKS, grant, hex, lock, manila, share } from './manila-fixtures.js';

describe('Manila locks in AuthZEN decisions', () => {
  let t: TestApp;
  const P = hex();
  const alice = hex(); // member of P: her roles allow delete on P's shares
  let aliceToken: string;
  const evaluate = (subject: string, action: string, id: string) =>
    t.request('POST', '/access/v1/evaluation', {
      body: { subject: { type: 'user', id: subject }, action: { name: action }, resource: { type: 'share', id } },
    });

  beforeAll(async () => {
    t = await startTestApp();
    await grant(t, alice, 'member', { project: P });
    aliceToken = await t.token(alice, { project: P });
  });
  afterAll(async () => t.close());

  it('denies the locked actions to everyone while the lock stands, and allows again once it is deleted', async () => {
    const id = await share(t, P, { status: 'available' });
    expect((await evaluate(alice, 'delete', id)).body.decision).toBe(true);

    const l = await lock(t, aliceToken, id, { lock_reason: 'audit' });
    for (const action of ['delete', 'soft_delete', 'unmanage', 'transfer']) {
      for (const subject of [alice, 'admin']) {
        const res = await evaluate(subject, action, id);
        expect(res.status).toBe(200);
        expect(res.body.decision, `${subject} ${action}`).toBe(false);
        expect(res.body.context.locks).toHaveLength(1);
        expect(res.body.context.locks[0]).toMatchObject({ id: l.id, kind: 'manila:delete', holder: alice });
        expect(res.body.context.locks[0].policy.source).toMatch(/^policies\/lock-effects\.csv:\d+$/);
        expect(res.body.context.reason).toContain(l.id);
      }
    }
    const read = await evaluate(alice, 'read', id);
    expect(read.body.decision).toBe(true);

    expect((await manila(t, 'DELETE', `${LOCKS}/${l.id}`, { token: aliceToken })).status).toBe(204);
    const after = await evaluate(alice, 'delete', id);
    expect(after.body.decision).toBe(true);
    expect(after.body.context.locks).toEqual([]);
  });

  it('names every blocking lock, whoever took it, and stays denied until all are gone (M-8)', async () => {
    const id = await share(t, P, { status: 'available' });
    const mine = await lock(t, aliceToken, id);
    const admins = await lock(t, (await import('../../helpers/test-app.js')).ADMIN_TOKEN, id);
    const denied = await evaluate(alice, 'delete', id);
    expect(denied.body.decision).toBe(false);
    expect(denied.body.context.locks.map((x: any) => x.id).sort()).toEqual([mine.id, admins.id].sort());
    expect((await manila(t, 'DELETE', `${LOCKS}/${mine.id}`, { token: aliceToken })).status).toBe(204);
    const stillDenied = await evaluate(alice, 'delete', id);
    expect(stillDenied.body.decision).toBe(false);
    expect(stillDenied.body.context.locks.map((x: any) => x.id)).toEqual([admins.id]);
    expect((await manila(t, 'DELETE', `${LOCKS}/${admins.id}`)).status).toBe(204);
    expect((await evaluate(alice, 'delete', id)).body.decision).toBe(true);
  });
});
