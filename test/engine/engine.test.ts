import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Engine, type PolicySource } from '../../src/engine/engine.js';
import { parsePolicyText } from '../../src/engine/policy-files.js';
import { RoleGraph } from '../../src/engine/role-graph.js';

const MODEL = readFileSync(new URL('../../model.conf', import.meta.url), 'utf8');

function engineWith(text: { current: string }): Engine {
  const graph = new RoleGraph();
  for (const name of ['admin', 'member', 'reader']) graph.putRole({ id: name, name, domainId: null });
  graph.addImplication('admin', 'member');
  graph.addImplication('member', 'reader');
  graph.addGrant({ actorType: 'user', actorId: 'bob', targetType: 'project', targetId: 'p1', roleId: 'member', inherited: false });
  const source: PolicySource = { load: async () => ({ rules: parsePolicyText(text.current, 'policies/t.csv'), files: ['t.csv'] }) };
  return new Engine(graph, MODEL, source);
}

const BASE = [
  'p, role:reader, *, read, allow',
  'p, role:member, *, delete, allow',
  'p, owner, *, update, allow',
  'p2, role:member, thing:do, "r2.obj.project == r2.sub.project", allow',
  'p3, manila:delete, *, delete, deny',
].join('\n');

const vm = (over = {}) => ({ type: 'vm', id: '1', scope: 'project:p1', ...over });

describe('Engine', () => {
  it('allows through an implied role and cites the file line and role path', async () => {
    const e = engineWith({ current: BASE });
    await e.reload();
    const d = e.decideResource({ subjectId: 'bob', action: 'read', resource: vm() });
    expect(d.allowed).toBe(true);
    expect(d.policy).toEqual({ source: 'policies/t.csv:1', rule: ['p', 'role:reader', '*', 'read', 'allow'] });
    expect(d.rolePath).toBe('bob → member ⇒ reader on project p1');
  });

  it('denies outside the scope the role is held in', async () => {
    const e = engineWith({ current: BASE });
    await e.reload();
    expect(e.decideResource({ subjectId: 'bob', action: 'read', resource: vm({ scope: 'project:p2' }) }).allowed).toBe(false);
  });

  it('lets an explicit deny row win over an allow', async () => {
    const e = engineWith({ current: `${BASE}\np, user:bob, vm, read, deny` });
    await e.reload();
    const d = e.decideResource({ subjectId: 'bob', action: 'read', resource: vm() });
    expect(d.allowed).toBe(false);
    expect(d.reason).toBe('denied by policies/t.csv:6');
  });

  it('grants the owner relation and reports it', async () => {
    const e = engineWith({ current: BASE });
    await e.reload();
    const d = e.decideResource({ subjectId: 'eve', action: 'update', resource: vm({ owner: 'eve' }) });
    expect(d.allowed).toBe(true);
    expect(d.facts).toEqual(['owner']);
  });

  it('denies a locked action to everyone, naming the lock and the p3 row', async () => {
    const e = engineWith({ current: BASE });
    await e.reload();
    const locks = [{ id: 'L1', kind: 'manila:delete', holder: 'bob' }];
    const d = e.decideResource({ subjectId: 'bob', action: 'delete', resource: vm(), locks });
    expect(d.allowed).toBe(false);
    expect(d.reason).toBe('delete is locked by L1');
    expect(d.blockingLocks[0]!.policy.source).toBe('policies/t.csv:5');
    expect(e.decideResource({ subjectId: 'bob', action: 'read', resource: vm(), locks }).allowed).toBe(true);
  });

  it('evaluates p2 conditions over caller and target', async () => {
    const e = engineWith({ current: BASE });
    await e.reload();
    const ask = (project: string) =>
      e.checkPermission({ userId: 'bob', scope: 'project:p1', attrs: { project: 'p1' }, permission: 'thing:do', target: { project } });
    expect(ask('p1').allowed).toBe(true);
    expect(ask('p2').allowed).toBe(false);
  });

  it('keeps the policy in force when a reload fails, and records the error', async () => {
    const text = { current: BASE };
    const e = engineWith(text);
    await e.reload();
    text.current = `${BASE}\np2, *, x:y, "r2.obj.a ==", allow`;
    await expect(e.reload()).rejects.toThrow(/policies\/t\.csv:6: invalid condition/);
    expect(e.status().version).toBe(1);
    expect(e.status().lastError?.message).toMatch(/invalid condition/);
    expect(e.decideResource({ subjectId: 'bob', action: 'read', resource: vm() }).allowed).toBe(true);
    text.current = BASE.replace('read, allow', 'read, deny');
    await e.reload();
    expect(e.status()).toMatchObject({ version: 2, lastError: null });
    expect(e.decideResource({ subjectId: 'bob', action: 'read', resource: vm() }).allowed).toBe(false);
  });

  it('answers with the old enforcer while a reload is being built', async () => {
    const text = { current: BASE };
    const e = engineWith(text);
    await e.reload();
    text.current = BASE.replace('read, allow', 'read, deny');
    const pending = e.reload();
    expect(e.decideResource({ subjectId: 'bob', action: 'read', resource: vm() }).allowed).toBe(true);
    await pending;
    expect(e.decideResource({ subjectId: 'bob', action: 'read', resource: vm() }).allowed).toBe(false);
  });
});
