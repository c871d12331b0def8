/**
 * Shared setup for the route-lock tests: alice and bob hold `member` (so `manage-locks`), rita
 * holds `reader` (no `manage-locks`), ghost has a valid token but no directory record.
 */
import { addUser } from '../../helpers/directory-fixtures.js';
import { startTestApp, type TestApp, type TestResponse } from '../../helpers/test-app.js';

export interface AlFixture {
  readonly t: TestApp;
  /** Sends the user's token in the `refreshToken` cookie. */
  as(user: string, method: 'POST' | 'DELETE', path: string, body?: unknown, raw?: string): Promise<TestResponse>;
}

export async function startAlFixture(): Promise<AlFixture> {
  const t = await startTestApp();
  await addUser(t, { id: 'alice', systemRoles: ['member'] });
  await addUser(t, { id: 'bob', systemRoles: ['member'] });
  await addUser(t, { id: 'rita', systemRoles: ['reader'] });
  const tokens: Record<string, string> = {};
  for (const id of ['alice', 'bob', 'rita', 'ghost']) tokens[id] = await t.token(id);
  return {
    t,
    as: (user, method, path, body, raw) =>
      t.request(method, path, {
        headers: { Cookie: `refreshToken=${tokens[user]}` },
        ...(raw !== undefined ? { raw } : body !== undefined ? { body } : {}),
      }),
  };
}

export const reply = (data: string, code: number) => ({ data, code });
