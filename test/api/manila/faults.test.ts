/** Faults the family reports in Manila's envelope besides the everyday ones (docs/compatibility.md §2.1): 413, 503. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStores } from '../../../src/store/memory/memory-stores.js';
import { StoreUnavailableError } from '../../../src/store/store-errors.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { LOCKS, manila } from './manila-fixtures.js';

describe('Manila faults', () => {
  let t: TestApp;
  let down = false;
  beforeAll(async () => {
    const stores = createMemoryStores();
    const locks = stores.manilaLocks;
    const flaky = Object.create(locks) as typeof locks;
    flaky.list = async (q) => {
      if (down) throw new StoreUnavailableError('database unreachable');
      return locks.list(q);
    };
    t = await startTestApp({}, { stores: { ...stores, manilaLocks: flaky } });
  });
  afterAll(async () => t.close());

  it('answers 413 overLimit for a body over the size limit', async () => {
    const res = await manila(t, 'POST', LOCKS, { raw: JSON.stringify({ resource_lock: { lock_reason: 'x'.repeat(2_000_000) } }) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ overLimit: { code: 413, message: 'Request is too large.' } });
  });

  it('answers 503 serviceUnavailable when the store cannot be reached, and recovers', async () => {
    down = true;
    const res = await manila(t, 'GET', LOCKS);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ serviceUnavailable: { code: 503, message: 'The service is unavailable.' } });
    down = false;
    expect((await manila(t, 'GET', LOCKS)).status).toBe(200);
  });
});
