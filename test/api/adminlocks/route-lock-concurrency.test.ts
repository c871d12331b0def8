import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../helpers/directory-fixtures.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

const N = 50;

describe('concurrent route lock acquisition (docs/compatibility.md §4.3, §6.3)', () => {
  let t: TestApp;
  const tokens: string[] = [];
  const acquire = (token: string, id: string) =>
    t.request('POST', '/admin/lock', { headers: { Cookie: `refreshToken=${token}` }, body: { route: 'volume', id } });

  beforeAll(async () => {
    t = await startTestApp();
    for (let i = 0; i < N; i++) {
      await addUser(t, { id: `racer${i}`, systemRoles: ['member'] });
      tokens.push(await t.token(`racer${i}`));
    }
  });
  afterAll(async () => t.close());

  it(`${N} users racing for one route lock: exactly one 200, the rest 409`, async () => {
    const results = await Promise.all(tokens.map((token) => acquire(token, 'race')));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const lost = results.filter((r) => r.status === 409);
    expect(lost).toHaveLength(N - 1);
    for (const r of lost) expect(r.body).toEqual({ data: 'Conflict', code: 409 });
  });

  it(`the holder re-acquiring ${N} times at once always succeeds`, async () => {
    const results = await Promise.all(Array.from({ length: N }, () => acquire(tokens[0]!, 'mine')));
    expect(results.every((r) => r.status === 200 && r.body.data === 'Success')).toBe(true);
  });

  it(`${N} concurrent releases by the holder: exactly one 200, the rest 404`, async () => {
    const results = await Promise.all(
      Array.from({ length: N }, () =>
        t.request('DELETE', '/admin/remove-lock', {
          headers: { Cookie: `refreshToken=${tokens[0]}` },
          body: { route: 'volume', id: 'mine' },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 404)).toHaveLength(N - 1);
  });
});
