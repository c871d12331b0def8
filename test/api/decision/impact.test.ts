import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, addProject, addUser, grantRole, revokeGrant } from '../../helpers/seed.js';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../../helpers/test-app.js';

const POLICIES = path.resolve(import.meta.dirname, '../../../policies');
const RESOURCES = readFileSync(path.join(POLICIES, 'resources.csv'), 'utf8');
const withoutMemberUpdate = RESOURCES.replace(/^p, role:member, \*, update, allow$/m, '# members no longer update');

const ask = (subject: string, action: string, id: string) => ({
  subject: { type: 'user', id: subject },
  action: { name: action },
  resource: { type: 'doc', id },
});

describe('POST /v1/policy/impact', () => {
  let t: TestApp;
  let dir: string;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'portcullis-impact-'));
    cpSync(POLICIES, dir, { recursive: true });
    t = await startTestApp({ PORTCULLIS_POLICY_DIR: dir });
    await addProject(t, 'p1');
    for (const u of ['bob', 'carol', 'erin']) await addUser(t, u);
    const bobMember = await grantRole(t, { user: 'bob' }, 'member', { project: 'p1' });
    await grantRole(t, { group: 'ops' }, 'member', { project: 'p1' });
    await addMember(t, 'ops', 'carol');
    await t.request('PUT', '/v1/resources/doc/d1', { body: { project_id: 'p1', owner: 'erin' } });
    for (const [who, action] of [['bob', 'update'], ['bob', 'delete'], ['erin', 'update'], ['carol', 'update']] as const) {
      ids[`${who} ${action}`] = (await t.request('POST', '/access/v1/evaluation', { body: ask(who, action, 'd1') })).body.context.decision_id;
    }
    // The data moves on after the decisions: bob loses his role. Replays must not see it.
    await revokeGrant(t, bobMember);
    expect((await t.request('POST', '/access/v1/evaluation', { body: ask('bob', 'update', 'd1') })).body.decision).toBe(false);
  });
  afterAll(async () => t.close());

  const impact = (body: unknown, token?: string) => t.request('POST', '/v1/policy/impact', { body, ...(token ? { token } : {}) });

  it('lists the decisions a draft flips, replayed on the facts recorded with them', async () => {
    const res = await impact({ files: { 'resources.csv': withoutMemberUpdate } });
    expect(res.status).toBe(200);
    const logged = (await t.request('GET', '/v1/decisions?limit=1000')).body.decisions.length;
    expect(res.body.replayed).toBeGreaterThanOrEqual(logged - 1); // the GET above adds its own check
    const flipped = res.body.changed.map((c: { decision_id: string }) => c.decision_id);
    // bob's update was allowed through the member role he held then (revoked since), carol's through her group's.
    expect(flipped).toContain(ids['bob update']);
    expect(flipped).toContain(ids['carol update']);
    expect(flipped).not.toContain(ids['bob delete']); // another row
    expect(flipped).not.toContain(ids['erin update']); // the owner row still allows
    const bob = res.body.changed.find((c: { decision_id: string }) => c.decision_id === ids['bob update']);
    expect(bob).toMatchObject({
      kind: 'resource',
      subject: { type: 'user', id: 'bob' },
      action: { name: 'update' },
      resource: { type: 'doc', id: 'd1' },
      before: { decision: 'allow', reason: expect.stringMatching(/^allowed by policies\/resources\.csv:\d+ \(bob → member on project p1\)$/) },
      after: { decision: 'deny', reason: 'no policy allows update on doc for this subject', policy: null },
    });
    expect(res.body.draft.files).toContain('resources.csv');
  });

  it('lists nothing for a draft that changes nothing, however the data moved since', async () => {
    const res = await impact({ files: { 'resources.csv': `${RESOURCES}\n# a comment only\n` } });
    expect(res.status).toBe(200);
    expect(res.body.changed).toEqual([]);
    expect(res.body.replayed).toBeGreaterThan(4);
  });

  it('replays permission checks too; a file given empty is deleted in the draft', async () => {
    await t.request('GET', '/identity/v3/roles', { token: null, headers: { 'X-Auth-Token': ADMIN_TOKEN, 'X-Request-Id': 'req-roles' } });
    const res = await impact({ files: { 'identity.csv': '' } });
    expect(res.status).toBe(200);
    expect(res.body.draft.files).not.toContain('identity.csv');
    const roles = res.body.changed.find((c: { action: { name: string } }) => c.action.name === 'identity:list_roles');
    expect(roles).toMatchObject({ kind: 'permission', subject: { id: 'admin' }, before: { decision: 'allow' }, after: { decision: 'deny', reason: 'no policy grants identity:list_roles' } });
  });

  it('refuses a broken draft with every file:line problem, and changes nothing', async () => {
    const before = (await t.request('GET', '/v1/policy')).body.policy;
    const res = await impact({ files: { 'resources.csv': `${RESOURCES}p, owner, *, read\np, owner, *, read, perhaps\n`, 'zz.csv': 'p2, *, x:y, "r2.obj ==", allow\n' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^the draft does not load; nothing was replayed: /);
    expect(res.body.error.problems).toEqual([
      expect.stringMatching(/^policies\/resources\.csv:\d+: p rows take 4 values \(and an optional condition\) after the type, got 3$/),
      expect.stringMatching(/^policies\/resources\.csv:\d+: effect must be "allow" or "deny", got "perhaps"$/),
      expect.stringMatching(/^policies\/zz\.csv:1: invalid condition: /),
    ]);
    const after = (await t.request('GET', '/v1/policy')).body.policy;
    expect(after.version).toBe(before.version);
    expect(readFileSync(path.join(dir, 'resources.csv'), 'utf8')).toBe(RESOURCES);
  });

  it('answers 400 to a bad body and 403 without decisions:replay', async () => {
    for (const body of [{}, { files: {} }, { files: { '../x.csv': 'p, a, b, c, allow' } }, { files: { 'x.txt': '' } }, { files: { 'a.csv': 3 } }, { files: {}, extra: 1 }]) {
      const res = await impact(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe(400);
    }
    const bob = await t.token('bob', { project: 'p1' });
    expect((await impact({ files: { 'resources.csv': RESOURCES } }, bob)).status).toBe(403);
  });
});
