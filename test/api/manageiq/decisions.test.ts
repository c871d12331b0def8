/**
 * Ownership feeds decisions at once (docs/compatibility.md §5.6, §8.1; docs/architecture.md invariant 3): after
 * set_ownership, AuthZEN evaluations see the new owner and group with no other step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { seedWorld, setOwnership } from './world.js';

describe('set_ownership feeds AuthZEN decisions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedWorld(t);
  });
  afterAll(async () => t.close());

  const evaluate = async (subject: string, action: string) => {
    const res = await t.request('POST', '/access/v1/evaluation', {
      body: { subject: { type: 'user', id: subject }, action: { name: action }, resource: { type: 'vms', id: '320' } },
    });
    expect(res.status).toBe(200);
    return res.body as { decision: boolean; context: { relations: string[]; policy?: { source: string } } };
  };

  it('moves the owner rule from the previous owner to the new one', async () => {
    const put = await t.request('PUT', '/v1/resources/vms/320', { body: { project_id: 'p1', owner: 'u-old' } });
    expect(put.status).toBe(201);
    expect((await evaluate('u-jdoe', 'update')).decision).toBe(false);
    expect((await evaluate('u-old', 'update')).decision).toBe(true);

    const res = await setOwnership(t, '/api/vms/320', { action: 'set_ownership', resource: { owner: { userid: 'jdoe' } } });
    expect(res.status).toBe(200);

    const jdoe = await evaluate('u-jdoe', 'update');
    expect(jdoe.decision).toBe(true);
    expect(jdoe.context.relations).toEqual(['owner']);
    expect(jdoe.context.policy?.source).toMatch(/^policies\/resources\.csv:\d+$/);
    expect((await evaluate('u-old', 'update')).decision).toBe(false);
  });

  it("gives the group's members what policy grants owner_group, and nothing to others", async () => {
    expect((await evaluate('u-alice', 'read')).decision).toBe(false);
    const res = await setOwnership(t, '/api/vms', {
      action: 'set_ownership',
      resources: [{ href: 'http://localhost:3000/api/vms/320', group: { description: 'TestGroup' } }],
    });
    expect(res.body.results[0]).toMatchObject({ success: true, message: 'setting ownership of vms id 320 to group: TestGroup' });

    const alice = await evaluate('u-alice', 'read');
    expect(alice.decision).toBe(true);
    expect(alice.context.relations).toEqual(['owner_group']);
    expect((await evaluate('u-alice', 'update')).decision).toBe(false);
    expect((await evaluate('u-john', 'read')).decision).toBe(false);
    // The owner set before is kept: set_ownership never clears a field.
    expect((await evaluate('u-jdoe', 'update')).decision).toBe(true);
  });
});
