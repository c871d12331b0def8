import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

const POLICIES = path.resolve(import.meta.dirname, '../../../policies');

function copyPolicies(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-policies-'));
  cpSync(POLICIES, dir, { recursive: true });
  return dir;
}

const ownerUpdate = {
  subject: { type: 'user', id: 'jdoe' },
  action: { name: 'update' },
  resource: { type: 'vm', id: '1', properties: { owner: 'jdoe' } },
};

describe('policy management /v1/policy', () => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('reports status and every rule with its source line', async () => {
    t = await startTestApp();
    const res = await t.request('GET', '/v1/policy');
    expect(res.body.policy).toMatchObject({ version: 1, lastError: null });
    expect(res.body.policy.files).toContain('resources.csv');
    expect(res.body.rules).toContainEqual({ ptype: 'p', values: ['owner', '*', 'update', 'allow'], source: expect.stringMatching(/^policies\/resources\.csv:\d+$/) });
  });

  it('stores a rule that changes decisions at once, and removes it again', async () => {
    t = await startTestApp();
    const decide = async () => (await t.request('POST', '/access/v1/evaluation', { body: ownerUpdate })).body;
    expect((await decide()).decision).toBe(true);
    const added = await t.request('POST', '/v1/policy/rules', { body: { ptype: 'p', values: ['owner', 'vm', 'update', 'deny'] } });
    expect(added.status).toBe(201);
    const denied = await decide();
    expect(denied.decision).toBe(false);
    expect(denied.context.reason).toBe('denied by store');
    expect((await t.request('DELETE', '/v1/policy/rules', { body: { ptype: 'p', values: ['owner', 'vm', 'update', 'deny'] } })).status).toBe(200);
    expect((await decide()).decision).toBe(true);
    expect((await t.request('DELETE', '/v1/policy/rules', { body: { ptype: 'p', values: ['owner', 'vm', 'update', 'deny'] } })).status).toBe(404);
  });

  it('refuses a rule that would not load, and stores nothing', async () => {
    t = await startTestApp();
    const res = await t.request('POST', '/v1/policy/rules', { body: { ptype: 'p2', values: ['*', 'x:y', 'r2.obj.a ==', 'allow'] } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/invalid condition/);
    expect(await t.portcullis.context.stores.policyRules.list()).toEqual([]);
    const bad = await t.request('POST', '/v1/policy/rules', { body: { ptype: 'p', values: ['a', 'b', 'c', 'perhaps'] } });
    expect(bad.status).toBe(400);
  });

  it('keeps the policy in force when a file breaks, and reports the error', async () => {
    const dir = copyPolicies();
    t = await startTestApp({ PORTCULLIS_POLICY_DIR: dir });
    writeFileSync(path.join(dir, 'zz-broken.csv'), 'p, role:reader, *, read\n');
    const reload = await t.request('POST', '/v1/policy/reload');
    expect(reload.status).toBe(400);
    expect(reload.body.error.message).toMatch(/previous policy stays in force.*zz-broken\.csv:1/);
    const status = (await t.request('GET', '/v1/policy')).body.policy;
    expect(status.version).toBe(1);
    expect(status.lastError.message).toMatch(/zz-broken\.csv:1: p rows take 4 values/);
    expect((await t.request('POST', '/access/v1/evaluation', { body: ownerUpdate })).body.decision).toBe(true);
  });

  it('picks up an edited policy file within 2 s without a restart', async () => {
    const dir = copyPolicies();
    t = await startTestApp({ PORTCULLIS_POLICY_DIR: dir, PORTCULLIS_POLICY_WATCH: 'true' });
    const file = path.join(dir, 'resources.csv');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^p, owner, \*, update, allow$/m, '# owners may no longer update'));
    const started = Date.now();
    let decision = true;
    while (decision && Date.now() - started < 2000) {
      await new Promise((r) => setTimeout(r, 100));
      decision = (await t.request('POST', '/access/v1/evaluation', { body: ownerUpdate })).body.decision;
    }
    expect(decision).toBe(false);
    expect((await t.request('GET', '/v1/policy')).body.policy.version).toBe(2);
  });

  it('lets only admins manage policy', async () => {
    t = await startTestApp();
    const token = await t.token('bob', { project: 'p1' });
    expect((await t.request('POST', '/v1/policy/reload', { token })).status).toBe(403);
  });

  it('refuses an import whose rules would not load, whole, before writing anything (POST /v1/import)', async () => {
    t = await startTestApp();
    const doc = (rules: unknown[]) => ({
      format: 'portcullis-export',
      version: 1,
      roles: [{ id: 'r-imported', name: 'imported', domainId: null, description: null, options: {}, extra: {} }],
      rules,
    });
    const misshapen = await t.request('POST', '/v1/import', { body: doc([{ ptype: 'p', values: ['0'] }]) });
    expect(misshapen.status).toBe(400);
    expect(misshapen.body.error.message).toMatch(/p rows take 4 values/);
    const unloadable = await t.request('POST', '/v1/import', { body: doc([{ ptype: 'p', values: ['owner', 'vm', 'update', 'allow', 'r.sub.id =='] }]) });
    expect(unloadable.status).toBe(400);
    expect(unloadable.body.error.message).toMatch(/invalid condition/);
    expect((await t.request('GET', '/identity/v3/roles?name=imported')).body.roles).toEqual([]);
    expect((await t.request('POST', '/v1/import', { body: doc([]) })).status).toBe(200); // the same document, rules aside, imports
    // The policy still reloads, and the policy API still works.
    expect((await t.request('POST', '/v1/policy/reload')).status).toBe(200);
    expect((await t.request('POST', '/v1/policy/rules', { body: { ptype: 'p', values: ['owner', 'vm', 'update', 'deny'] } })).status).toBe(201);
  });

  it('refuses an import that names roles, users or projects neither it nor the store holds; a cycle is reported, not stored', async () => {
    t = await startTestApp();
    const doc = (body: Record<string, unknown>) => ({ format: 'portcullis-export', version: 1, ...body });
    const dangling = await t.request('POST', '/v1/import', {
      body: doc({
        roles: [{ id: 'r-a', name: 'role-a', domainId: null, description: null, options: {}, extra: {} }],
        implied_roles: [{ priorRoleId: 'r-a', impliedRoleId: 'r-missing' }],
        grants: [{ actorType: 'user', actorId: 'nobody', targetType: 'project', targetId: 'nowhere', roleId: 'r-a', inherited: false }],
      }),
    });
    expect(dangling.status).toBe(400);
    expect(dangling.body.error.message).toContain('nothing was written');
    expect(dangling.body.error.message).toContain('no role r-missing');
    expect(dangling.body.error.message).toContain('no user nobody');
    expect(dangling.body.error.message).toContain('no project nowhere');
    expect((await t.request('GET', '/identity/v3/roles?name=role-a')).body.roles).toEqual([]);

    const roles = [
      { id: 'r-a', name: 'role-a', domainId: null, description: null, options: {}, extra: {} },
      { id: 'r-b', name: 'role-b', domainId: null, description: null, options: {}, extra: {} },
    ];
    const cyclic = await t.request('POST', '/v1/import', {
      body: doc({ roles, implied_roles: [{ priorRoleId: 'r-a', impliedRoleId: 'r-b' }, { priorRoleId: 'r-b', impliedRoleId: 'r-a' }] }),
    });
    expect(cyclic.status).toBe(200);
    expect(cyclic.body.sections.implied_roles).toEqual({ created: 1, kept: 0 });
    expect(cyclic.body.conflicts).toEqual([expect.stringMatching(/^implied_roles: r-b=>r-a \(.*cycle/)]);
  });
});
