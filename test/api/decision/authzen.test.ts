import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, addProject, addUser, grantRole } from '../../helpers/seed.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

const evaluation = (subject: string, action: string, type: string, id: string, properties?: object) => ({
  subject: { type: 'user', id: subject },
  action: { name: action },
  resource: { type, id, ...(properties ? { properties } : {}) },
});

describe('AuthZEN decision API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await addProject(t, 'p1');
    await addProject(t, 'p1a', 'default', 'p1');
    await addProject(t, 'p2');
    for (const u of ['bob', 'carol', 'dave', 'erin']) await addUser(t, u);
    await grantRole(t, { user: 'bob' }, 'member', { project: 'p1' });
    await grantRole(t, { group: 'ops' }, 'admin', { project: 'p1' }, true);
    await addMember(t, 'ops', 'carol');
    await grantRole(t, { user: 'dave' }, 'reader', { system: true });
    for (const [id, project] of [['d1', 'p1'], ['d2', 'p2'], ['d3', 'p1a']] as const) {
      await t.request('PUT', `/v1/resources/doc/${id}`, { body: { project_id: project, owner: 'erin' } });
    }
  });
  afterAll(async () => t.close());

  const decide = async (body: object) => (await t.request('POST', '/access/v1/evaluation', { body })).body;

  it('allows by a project role in the resource scope and denies in a sibling project', async () => {
    const allowed = await decide(evaluation('bob', 'delete', 'doc', 'd1'));
    expect(allowed.decision).toBe(true);
    expect(allowed.context.role_path).toBe('bob → member on project p1');
    expect(allowed.context.scope).toBe('project:p1');
    const denied = await decide(evaluation('bob', 'delete', 'doc', 'd2'));
    expect(denied.decision).toBe(false);
  });

  it('allows through a group grant inherited down the project tree', async () => {
    const d = await decide(evaluation('carol', 'purge', 'doc', 'd3'));
    expect(d.decision).toBe(true);
    expect(d.context.role_path).toBe('carol → group ops → admin on project p1 (inherited)');
    expect((await decide(evaluation('carol', 'purge', 'doc', 'd1'))).decision).toBe(false);
  });

  it('applies system roles to every scope', async () => {
    expect((await decide(evaluation('dave', 'read', 'doc', 'd2'))).decision).toBe(true);
    expect((await decide(evaluation('dave', 'update', 'doc', 'd2'))).decision).toBe(false);
  });

  it('uses request properties where the registry has nothing', async () => {
    expect((await decide(evaluation('bob', 'update', 'doc', 'unregistered', { project_id: 'p1' }))).decision).toBe(true);
    const d = await decide(evaluation('bob', 'update', 'doc', 'unregistered', { project_id: 'p2' }));
    expect(d.decision).toBe(false);
    expect(d.context.registered).toBe(false);
    // The registry wins over properties for registered resources.
    expect((await decide(evaluation('bob', 'update', 'doc', 'd2', { project_id: 'p1' }))).decision).toBe(false);
  });

  it('denies a locked action with the lock id in the explanation', async () => {
    const { stores } = t.portcullis.context;
    await stores.routeLocks.acquire('doc', 'd1', 'erin', new Date().toISOString());
    const d = await decide(evaluation('bob', 'delete', 'doc', 'd1'));
    expect(d.decision).toBe(false);
    expect(d.context.locks).toEqual([
      expect.objectContaining({ id: 'route:doc:d1', kind: 'route', holder: 'erin', policy: expect.objectContaining({ source: expect.stringMatching(/^policies\/lock-effects\.csv:\d+$/) }) }),
    ]);
    expect((await decide(evaluation('erin', 'delete', 'doc', 'd1'))).decision).toBe(true);
    await stores.routeLocks.release('doc', 'd1', 'erin');
    expect((await decide(evaluation('bob', 'delete', 'doc', 'd1'))).decision).toBe(true);
  });

  it('refuses a subject type that names no users with 400, and decides the configured ones', async () => {
    const res = await t.request('POST', '/access/v1/evaluation', {
      body: { subject: { type: 'robot', id: 'r1' }, action: { name: 'read' }, resource: { type: 'doc', id: 'd1' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 400, message: "subject type 'robot' is not known; use one of: user, identity" });
    const identity = await decide({ ...evaluation('bob', 'delete', 'doc', 'd1'), subject: { type: 'identity', id: 'bob' } });
    expect(identity.decision).toBe(true);
  });

  it.each([
    [{ action: { name: 'read' }, resource: { type: 'doc', id: 'd1' } }, /'subject'/],
    [{ ...evaluation('bob', '', 'doc', 'd1') }, /'action.name'/],
    [{ ...evaluation('bob', 'read', 'doc', 'd1'), resource: { type: 'doc', id: true } }, /'resource.id'/],
    [{ ...evaluation('bob', 'read', 'doc', 'd1'), subject: 'bob' }, /'subject'/],
  ])('rejects a malformed request with 400 naming the field (%#)', async (body, message) => {
    const res = await t.request('POST', '/access/v1/evaluation', { body });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });

  it('rejects malformed JSON with 400 in the envelope', async () => {
    const res = await t.request('POST', '/access/v1/evaluation', { raw: '{"subject":' });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 400, message: expect.stringMatching(/^Malformed request body/) });
  });

  it('answers 405 with Allow for a wrong method and 404 for an unknown path', async () => {
    const wrong = await t.request('GET', '/access/v1/evaluation');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toContain('POST');
    const missing = await t.request('POST', '/access/v1/nothing', { body: {} });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe(404);
  });

  it('lets a user ask about themselves only', async () => {
    const token = await t.token('bob', { project: 'p1' });
    const self = await t.request('POST', '/access/v1/evaluation', { token, body: evaluation('bob', 'read', 'doc', 'd1') });
    expect(self.status).toBe(200);
    const other = await t.request('POST', '/access/v1/evaluation', { token, body: evaluation('carol', 'read', 'doc', 'd1') });
    expect(other.status).toBe(403);
  });

  describe('batch evaluations', () => {
    const items = [
      { resource: { type: 'doc', id: 'd1' } },
      { resource: { type: 'doc', id: 'd2' } },
      { resource: { type: 'doc', id: 'd1' }, action: { name: 'read' } },
    ];
    const batch = (semantic?: string) =>
      t.request('POST', '/access/v1/evaluations', {
        body: {
          subject: { type: 'user', id: 'bob' },
          action: { name: 'delete' },
          evaluations: items,
          ...(semantic ? { options: { evaluations_semantic: semantic } } : {}),
        },
      });

    it('fills defaults from the top level and answers every item in order', async () => {
      const res = await batch();
      expect(res.body.evaluations).toEqual([{ decision: true }, { decision: false }, { decision: true }]);
    });

    it('explains each item when options.explain asks', async () => {
      const res = await t.request('POST', '/access/v1/evaluations', {
        body: { subject: { type: 'user', id: 'bob' }, action: { name: 'delete' }, evaluations: items.slice(0, 1), options: { explain: true } },
      });
      expect(res.body.evaluations).toEqual([
        { decision: true, context: expect.objectContaining({ role_path: 'bob → member on project p1', scope: 'project:p1' }) },
      ]);
    });

    it('takes a missing type or id of an item from the top-level entity, replacing the rest', async () => {
      const res = await t.request('POST', '/access/v1/evaluations', {
        body: {
          subject: { type: 'user', id: 'bob' },
          action: { name: 'update' },
          resource: { type: 'doc', properties: { project_id: 'p1' } },
          evaluations: [{ resource: { id: 'new-1' } }, { resource: { id: 'new-2', properties: { project_id: 'p1' } } }],
        },
      });
      // The item's resource replaces the top-level one: its properties do not carry over.
      expect(res.body.evaluations).toEqual([{ decision: false }, { decision: true }]);
    });

    it('stops at the first deny with deny_on_first_deny', async () => {
      const res = await batch('deny_on_first_deny');
      expect(res.body.evaluations.map((e: { decision: boolean }) => e.decision)).toEqual([true, false]);
    });

    it('stops at the first permit with permit_on_first_permit', async () => {
      const res = await batch('permit_on_first_permit');
      expect(res.body.evaluations.map((e: { decision: boolean }) => e.decision)).toEqual([true]);
    });

    it('behaves as a single evaluation without an evaluations array', async () => {
      const res = await t.request('POST', '/access/v1/evaluations', { body: evaluation('bob', 'delete', 'doc', 'd1') });
      expect(res.body.decision).toBe(true);
    });

    it('denies an item missing a part with no default, answering the others, and refuses an unknown semantic', async () => {
      const res = await t.request('POST', '/access/v1/evaluations', {
        body: {
          subject: { type: 'user', id: 'bob' },
          action: { name: 'delete' },
          evaluations: [{ resource: { type: 'doc', id: 'd1' } }, {}, { resource: { id: 'd1' } }, { subject: { type: 'robot', id: 'r' }, resource: { type: 'doc', id: 'd1' } }],
        },
      });
      expect(res.status).toBe(200);
      expect(res.body.evaluations).toEqual([
        { decision: true },
        { decision: false, context: { error: { status: 400, message: 'evaluations[1] has no resource, and the request gives no default' } } },
        { decision: false, context: { error: { status: 400, message: 'evaluations[2] has no resource.type, and the request gives no default' } } },
        { decision: false, context: { error: { status: 400, message: "evaluations[3]: subject type 'robot' is not known; use one of: user, identity" } } },
      ]);
      const bad = await t.request('POST', '/access/v1/evaluations', {
        body: { ...evaluation('bob', 'read', 'doc', 'd1'), evaluations: items, options: { evaluations_semantic: 'sometimes' } },
      });
      expect(bad.status).toBe(400);
    });
  });

  describe('search', () => {
    it('finds the subjects who may act on a resource, a page at a time', async () => {
      const body = { subject: { type: 'user' }, action: { name: 'read' }, resource: { type: 'doc', id: 'd3' } };
      const all = await t.request('POST', '/access/v1/search/subject', { body });
      expect(all.body.results).toEqual(['admin', 'carol', 'dave', 'erin'].map((id) => ({ type: 'user', id })));
      const first = await t.request('POST', '/access/v1/search/subject', { body: { ...body, page: { limit: 3 } } });
      expect(first.body.results.map((r: { id: string }) => r.id)).toEqual(['admin', 'carol', 'dave']);
      const second = await t.request('POST', '/access/v1/search/subject', {
        body: { ...body, page: { limit: 3, token: first.body.page.next_token } },
      });
      expect(second.body.results).toEqual([{ type: 'user', id: 'erin' }]);
      expect(second.body.page.next_token).toBe('');
    });

    it('finds the resources a subject may act on', async () => {
      const res = await t.request('POST', '/access/v1/search/resource', {
        body: { subject: { type: 'user', id: 'bob' }, action: { name: 'delete' }, resource: { type: 'doc' } },
      });
      expect(res.body.results).toEqual([{ type: 'doc', id: 'd1' }]);
    });

    it('pages resource search results, from the owner index and from a pass over the type', async () => {
      for (const subject of ['erin', 'admin']) {
        const body = { subject: { type: 'user', id: subject }, action: { name: 'read' }, resource: { type: 'doc' }, page: { limit: 2 } };
        const first = await t.request('POST', '/access/v1/search/resource', { body });
        expect(first.body.results, subject).toEqual([{ type: 'doc', id: 'd1' }, { type: 'doc', id: 'd2' }]);
        const second = await t.request('POST', '/access/v1/search/resource', {
          body: { ...body, page: { limit: 2, token: first.body.page.next_token } },
        });
        expect(second.body.results, subject).toEqual([{ type: 'doc', id: 'd3' }]);
        expect(second.body.page.next_token).toBe('');
      }
    });

    it('finds the actions a subject may take on a resource', async () => {
      const res = await t.request('POST', '/access/v1/search/action', {
        body: { subject: { type: 'user', id: 'erin' }, resource: { type: 'doc', id: 'd2' } },
      });
      expect(res.body.results).toEqual([{ name: 'delete' }, { name: 'read' }, { name: 'update' }]);
    });
  });

  it('publishes its endpoints at /.well-known/authzen-configuration', async () => {
    const res = await t.request('GET', '/.well-known/authzen-configuration', { token: null });
    expect(res.status).toBe(200);
    expect(res.body.access_evaluation_endpoint).toBe(`${t.url}/access/v1/evaluation`);
    expect(res.body.search_action_endpoint).toBe(`${t.url}/access/v1/search/action`);
  });
});
