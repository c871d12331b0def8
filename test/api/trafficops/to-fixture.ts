/**
 * Shared setup for the Traffic Ops tests: one app, users in Traffic Ops roles, registered CDNs.
 *   alice, bob, carol  manager (Traffic Ops "operations": may lock and share)
 *   rita               reader (CDN:READ only)
 *   nora               no role at all
 *   admin              bootstrap admin (holds CDN-LOCK:DELETE-OTHERS)
 */
import { startTestApp, type RequestOptions, type TestApp } from '../../helpers/test-app.js';
import { addUser, register } from '../../helpers/directory-fixtures.js';

export interface ToFixture {
  readonly t: TestApp;
  readonly tokens: Record<string, string>;
  /** Request as a named user (`admin` uses the admin token). */
  as(user: string, method: string, path: string, options?: RequestOptions): ReturnType<TestApp['request']>;
}

export const V4_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;
export const V5_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/;

export async function startToFixture(cdns: readonly string[]): Promise<ToFixture> {
  const t = await startTestApp();
  const tokens: Record<string, string> = {};
  for (const id of ['alice', 'bob', 'carol']) await addUser(t, { id, systemRoles: ['manager'] });
  await addUser(t, { id: 'rita', systemRoles: ['reader'] });
  await addUser(t, { id: 'nora' });
  for (const id of ['alice', 'bob', 'carol', 'rita', 'nora']) tokens[id] = await t.token(id);
  for (const cdn of cdns) await register(t, 'cdn', cdn);
  return {
    t,
    tokens,
    as: (user, method, path, options = {}) =>
      t.request(method, path, user === 'admin' ? options : { ...options, token: tokens[user]! }),
  };
}

export const error = (text: string) => ({ alerts: [{ text, level: 'error' }] });
