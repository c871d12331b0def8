/** The HTTP tests run on whichever store the run covers: MongoDB when MONGODB_URI is set. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

it('serves the test app from MongoDB when MONGODB_URI is set, from memory otherwise', async () => {
  const ready = await t.request('GET', '/readyz', { token: null });
  expect(ready.status).toBe(200);
  expect(ready.body.store).toEqual({ kind: process.env.MONGODB_URI ? 'mongodb' : 'memory', reachable: true });
  expect('sync' in ready.body).toBe(Boolean(process.env.MONGODB_URI));
});
