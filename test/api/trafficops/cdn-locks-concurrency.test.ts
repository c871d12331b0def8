import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, register } from '../../helpers/directory-fixtures.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

const N = 50;

describe('concurrent CDN lock creation (docs/compatibility.md §6.3)', () => {
  let t: TestApp;
  const tokens: string[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    for (let i = 0; i < N; i++) {
      await addUser(t, { id: `racer${i}`, systemRoles: ['manager'] });
      tokens.push(await t.token(`racer${i}`));
    }
    await register(t, 'cdn', 'race');
  });
  afterAll(async () => t.close());

  it(`${N} users racing for one CDN: exactly one 201, the rest 400 already exists`, async () => {
    const results = await Promise.all(
      tokens.map((token) => t.request('POST', '/api/4.0/cdn_locks', { token, body: { cdn: 'race', soft: false } })),
    );
    const won = results.filter((r) => r.status === 201);
    const lost = results.filter((r) => r.status === 400);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(N - 1);
    for (const r of lost) expect(r.body).toEqual({ alerts: [{ text: "cdn_lock cdn 'race' already exists.", level: 'error' }] });
    const list = await t.request('GET', '/api/4.0/cdn_locks?cdn=race');
    expect(list.body.response).toHaveLength(1);
    expect(list.body.response[0].userName).toBe(won[0]!.body.response.userName);
  });
});
