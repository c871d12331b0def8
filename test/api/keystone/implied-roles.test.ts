/** Implied roles and `GET /v3/role_inferences` (docs/compatibility.md §1.6) and their errors (§1.9, §8.2). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { expectError, KeystoneClient, V3 } from './keystone-client.js';

describe('implied roles', () => {
  let t: TestApp;
  let k: KeystoneClient;
  let a: string;
  let b: string;
  let c: string;
  beforeAll(async () => {
    t = await startTestApp();
    k = new KeystoneClient(t);
    a = await k.role('role-a');
    b = await k.role('role-b');
    c = await k.role('role-c');
  });
  afterAll(async () => t.close());

  const ref = (id: string, name: string) => ({ id, name, links: { self: `${t.url}${V3}/roles/${id}` } });

  it('creates (201), gets (200), HEADs (204), lists one hop, and deletes a rule', async () => {
    const put = await t.request('PUT', `${V3}/roles/${a}/implies/${b}`);
    expect(put.status).toBe(201);
    expect(put.body).toEqual({
      role_inference: { prior_role: ref(a, 'role-a'), implies: ref(b, 'role-b') },
      links: { self: `${t.url}${V3}/roles/${a}/implies/${b}` },
    });
    const get = await t.request('GET', `${V3}/roles/${a}/implies/${b}`);
    expect(get.status).toBe(200);
    expect(get.body).toEqual(put.body);
    const head = await t.request('HEAD', `${V3}/roles/${a}/implies/${b}`);
    expect(head.status).toBe(204);
    expect(head.text).toBe('');
    expect((await t.request('PUT', `${V3}/roles/${b}/implies/${c}`)).status).toBe(201);
    const list = await t.request('GET', `${V3}/roles/${a}/implies`);
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      role_inference: { prior_role: ref(a, 'role-a'), implies: [ref(b, 'role-b')] },
      links: { self: `${t.url}${V3}/roles/${a}/implies` },
    });
    expect((await t.request('HEAD', `${V3}/roles/${a}/implies`)).status).toBe(200);
    expect((await t.request('DELETE', `${V3}/roles/${b}/implies/${c}`)).status).toBe(204);
    expectError(await t.request('GET', `${V3}/roles/${b}/implies/${c}`), 404, `${b} does not imply ${c}.`);
    expect((await t.request('HEAD', `${V3}/roles/${b}/implies/${c}`)).status).toBe(404);
    expectError(await t.request('DELETE', `${V3}/roles/${b}/implies/${c}`), 404, `${b} does not imply ${c}.`);
  });

  it('refuses a duplicate rule with 409', async () => {
    expectError(
      await t.request('PUT', `${V3}/roles/${a}/implies/${b}`),
      409,
      'Conflict occurred attempting to store implied_role - Duplicate entry.',
    );
  });

  it('refuses cycles with 400 and stores nothing (docs/compatibility.md §8.2)', async () => {
    expectError(await t.request('PUT', `${V3}/roles/${b}/implies/${a}`), 400, /cycle/);
    expectError(await t.request('PUT', `${V3}/roles/${a}/implies/${a}`), 400, /cycle/);
    expect((await t.request('PUT', `${V3}/roles/${b}/implies/${c}`)).status).toBe(201);
    expectError(await t.request('PUT', `${V3}/roles/${c}/implies/${a}`), 400, /cycle/);
    expectError(await t.request('GET', `${V3}/roles/${c}/implies/${a}`), 404, `${c} does not imply ${a}.`);
    // The bootstrap chain admin ⇒ manager ⇒ member ⇒ reader is guarded the same way.
    const reader = await k.roleId('reader');
    const manager = await k.roleId('manager');
    expectError(await t.request('PUT', `${V3}/roles/${reader}/implies/${manager}`), 400, /cycle/);
  });

  it('admin cannot be implied (403)', async () => {
    const admin = await k.roleId('admin');
    expectError(await t.request('PUT', `${V3}/roles/${c}/implies/${admin}`), 403, `${admin} cannot be an implied roles.`);
  });

  it('a global role cannot imply a domain-specific one; a domain role may imply a global one', async () => {
    const acme = await k.domain('acme');
    const dom = await k.role('acme-role', { domain_id: acme });
    expectError(
      await t.request('PUT', `${V3}/roles/${a}/implies/${dom}`),
      403,
      'Global role cannot imply a domain-specific role',
    );
    expect((await t.request('PUT', `${V3}/roles/${dom}/implies/${c}`)).status).toBe(201);
  });

  it('404 for an unknown prior or implied role', async () => {
    expectError(await t.request('GET', `${V3}/roles/nope/implies`), 404, 'Could not find role: nope.');
    expectError(await t.request('PUT', `${V3}/roles/nope/implies/${a}`), 404, 'Could not find role: nope.');
    expectError(await t.request('PUT', `${V3}/roles/${a}/implies/nope`), 404, 'Could not find role: nope.');
    expectError(await t.request('GET', `${V3}/roles/${a}/implies/nope`), 404, 'Could not find role: nope.');
    expectError(await t.request('DELETE', `${V3}/roles/${a}/implies/nope`), 404, 'Could not find role: nope.');
  });

  it('lists every rule grouped by prior role, bootstrap chain included (K-2 shape)', async () => {
    const res = await t.request('GET', `${V3}/role_inferences`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['role_inferences']);
    const byPrior = new Map<string, string[]>(
      res.body.role_inferences.map((r: any) => [r.prior_role.name, r.implies.map((i: any) => i.name)]),
    );
    expect(byPrior.get('admin')).toEqual(['manager']);
    expect(byPrior.get('manager')).toEqual(['member']);
    expect(byPrior.get('member')).toEqual(['reader']);
    expect(byPrior.get('role-a')).toEqual(['role-b']);
    for (const rule of res.body.role_inferences) {
      expect(Object.keys(rule.prior_role).sort()).toEqual(['id', 'links', 'name']);
    }
  });

  it('readers on the system may read rules; only admins may write them', async () => {
    const sue = await k.user('sue');
    await k.grant(`/system/users/${sue}/roles/${await k.roleId('reader')}`);
    const token = await t.token(sue, { system: true });
    expect((await t.request('GET', `${V3}/role_inferences`, { token })).status).toBe(200);
    expect((await t.request('HEAD', `${V3}/roles/${a}/implies/${b}`, { token })).status).toBe(204);
    expectError(
      await t.request('PUT', `${V3}/roles/${c}/implies/${b}`, { token }),
      403,
      'You are not authorized to perform the requested action: identity:create_implied_role.',
    );
    expectError(
      await t.request('DELETE', `${V3}/roles/${a}/implies/${b}`, { token }),
      403,
      'You are not authorized to perform the requested action: identity:delete_implied_role.',
    );
  });
});

describe('implied roles under concurrency', () => {
  it('two requests racing to close a cycle: exactly one rule is stored, the other gets 400', async () => {
    const t = await startTestApp();
    try {
      const k = new KeystoneClient(t);
      const x = await k.role('race-x');
      const y = await k.role('race-y');
      const [one, two] = await Promise.all([
        t.request('PUT', `${V3}/roles/${x}/implies/${y}`),
        t.request('PUT', `${V3}/roles/${y}/implies/${x}`),
      ]);
      expect([one.status, two.status].sort()).toEqual([201, 400]);
      const rules = (await t.request('GET', `${V3}/role_inferences`)).body.role_inferences;
      const raced = rules.filter((r: any) => r.prior_role.id === x || r.prior_role.id === y);
      expect(raced).toHaveLength(1);
    } finally {
      await t.close();
    }
  });
});
