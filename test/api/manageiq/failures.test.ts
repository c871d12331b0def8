/**
 * Write failures (docs/compatibility.md §5.4 "Save failure", §5.5, §6.3): each item is one atomic write of owner
 * and group, so a failure mid-way leaves every resource either fully changed or untouched.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStores } from '../../../src/store/memory/memory-stores.js';
import { StoreUnavailableError } from '../../../src/store/store-errors.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { register, registered, seedWorld, setOwnership } from './world.js';

describe('set_ownership when the store fails', () => {
  let t: TestApp;
  /** What the next write does: 'ok', or throw a plain error / an outage at the given call. */
  let failAt: { call: number; error: () => Error } | undefined;
  let writes = 0;

  beforeAll(async () => {
    const stores = createMemoryStores();
    const real = stores.resources.setOwnership.bind(stores.resources);
    stores.resources.setOwnership = async (type, id, change) => {
      writes++;
      if (failAt && writes === failAt.call) throw failAt.error();
      return real(type, id, change);
    };
    t = await startTestApp({}, { stores });
    await seedWorld(t);
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    writes = 0;
    failAt = undefined;
    for (const id of ['1', '2', '3']) await register(t, 'vms', id, { project_id: 'p1', owner: 'u-old', group: 'g-sales', attributes: { name: `vm-${id}` } });
  });

  const item = (id: number) => ({ id, owner: { name: 'jdoe' }, group: { description: 'TestGroup' } });
  const states = async () => Promise.all(['1', '2', '3'].map(async (id) => {
    const r = await registered(t, 'vms', id);
    return [r?.owner, r?.group];
  }));

  it('reports a failed write of a single resource as a 400 action result in upstream words', async () => {
    failAt = { call: 1, error: () => new Error('disk full') };
    const res = await setOwnership(t, '/api/vms/2', { action: 'set_ownership', resource: item(2) });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      success: false,
      message: "Error, 'disk full, updating Vm: Name: [vm-2], Id: [2]",
      href: `${t.url}/api/vms/2`,
    });
    expect((await states())[1]).toEqual(['u-old', 'g-sales']);
  });

  it('keeps going after a failed item in bulk: the failed one untouched, the others fully changed', async () => {
    failAt = { call: 2, error: () => new Error('disk full') };
    const res = await setOwnership(t, '/api/vms', { action: 'set_ownership', resources: [item(1), item(2), item(3)] });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { success: boolean }) => r.success)).toEqual([true, false, true]);
    expect(res.body.results[1].message).toBe("Error, 'disk full, updating Vm: Name: [vm-2], Id: [2]");
    expect(await states()).toEqual([['u-jdoe', 'g-test'], ['u-old', 'g-sales'], ['u-jdoe', 'g-test']]);
  });

  it('stops with 503 when the store goes away mid-way, leaving no resource half-written', async () => {
    failAt = { call: 2, error: () => new StoreUnavailableError('connection lost') };
    const res = await setOwnership(t, '/api/vms', { action: 'set_ownership', resources: [item(1), item(2), item(3)] });
    expect(res.status).toBe(503);
    expect(res.body.error.kind).toBe('service_unavailable');
    expect(await states()).toEqual([['u-jdoe', 'g-test'], ['u-old', 'g-sales'], ['u-old', 'g-sales']]);
  });
});
