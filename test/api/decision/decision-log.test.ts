import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProject, addUser, grantRole } from '../../helpers/seed.js';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../../helpers/test-app.js';

const ask = (subject: string, action: string, type: string, id: string, extra: object = {}) => ({
  subject: { type: 'user', id: subject },
  action: { name: action },
  resource: { type, id },
  ...extra,
});

describe('decision log: ids, GET /v1/decisions', () => {
  let t: TestApp;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    t = await startTestApp({}, { log });
    await addProject(t, 'p1');
    await addUser(t, 'bob');
    await grantRole(t, { user: 'bob' }, 'member', { project: 'p1' });
    await t.request('PUT', '/v1/resources/doc/d1', { body: { project_id: 'p1', owner: 'erin' } });
  });
  afterAll(async () => t.close());

  const decisions = async (query = '', token?: string) => t.request('GET', `/v1/decisions${query}`, token ? { token } : {});

  it('returns a decision id in the AuthZEN context, logs it with the request id, and serves the record', async () => {
    const res = await t.request('POST', '/access/v1/evaluation', {
      body: ask('bob', 'update', 'doc', 'd1', { context: { ip: '10.1.2.3' }, action: { name: 'update', properties: { reason: 'fix' } } }),
      headers: { 'X-Request-Id': 'req-decision-1' },
    });
    expect(res.status).toBe(200);
    const id = res.body.context.decision_id as string;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const line = lines.find((l) => l.msg === 'decision' && l.decisionId === id);
    expect(line).toMatchObject({ requestId: 'req-decision-1', decision: 'allow', subject: 'bob', action: 'update', resource: 'doc/d1' });

    const listed = await decisions('?kind=resource&limit=1');
    expect(listed.status).toBe(200);
    expect(listed.body.decisions[0]).toMatchObject({
      id,
      request_id: 'req-decision-1',
      kind: 'resource',
      subject: { type: 'user', id: 'bob' },
      action: { name: 'update', properties: { reason: 'fix' } },
      resource: { type: 'doc', id: 'd1' },
      context: { ip: '10.1.2.3' },
      decision: 'allow',
      reason: expect.stringMatching(/^allowed by policies\/resources\.csv:\d+/),
      policy: { source: expect.stringMatching(/^policies\/resources\.csv:\d+$/), rule: ['p', 'role:member', '*', 'update', 'allow'] },
      role_path: 'bob → member on project p1',
      scope: 'project:p1',
    });
    expect(Date.parse(listed.body.decisions[0].at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('records the request id the server gave a request that sent none, as its header says', async () => {
    const res = await t.request('POST', '/access/v1/evaluation', { body: ask('bob', 'read', 'doc', 'd1') });
    expect(res.status).toBe(200);
    const requestId = res.headers.get('x-request-id')!;
    expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The decision and the caller's authzen:evaluate permission check.
    const listed = await decisions(`?request_id=${requestId}`);
    expect(listed.body.decisions.map((d: { kind: string; request_id: string }) => [d.kind, d.request_id])).toEqual([
      ['resource', requestId],
      ['permission', requestId],
    ]);
  });

  it('gives each decision of a batch its own id', async () => {
    const res = await t.request('POST', '/access/v1/evaluations', {
      body: { subject: { type: 'user', id: 'bob' }, action: { name: 'read' }, evaluations: [{ resource: { type: 'doc', id: 'd1' } }, { resource: { type: 'doc', id: 'd9' } }], options: { explain: true } },
    });
    const ids = res.body.evaluations.map((e: { context: { decision_id: string } }) => e.context.decision_id);
    expect(new Set(ids).size).toBe(2);
    const listed = await decisions(`?resource_id=d9&kind=resource`);
    expect(listed.body.decisions.map((d: { id: string }) => d.id)).toEqual([ids[1]]);
    expect(listed.body.decisions[0]).toMatchObject({ decision: 'deny', subject: { id: 'bob' } });
  });

  it('records the permission checks of the other API families, with the request id', async () => {
    const res = await t.request('GET', '/identity/v3/roles', { token: null, headers: { 'X-Auth-Token': ADMIN_TOKEN, 'X-Request-Id': 'req-keystone-1' } });
    expect(res.status).toBe(200);
    const listed = await decisions('?request_id=req-keystone-1');
    expect(listed.body.decisions).toHaveLength(1);
    expect(listed.body.decisions[0]).toMatchObject({
      kind: 'permission',
      subject: { type: 'user', id: 'admin', properties: { system: 'all' } },
      action: { name: 'identity:list_roles' },
      resource: { type: 'permission', id: 'identity:list_roles' },
      decision: 'allow',
      scope: 'system',
    });
    const line = lines.find((l) => l.msg === 'permission check' && l.requestId === 'req-keystone-1');
    expect(line).toMatchObject({ decisionId: listed.body.decisions[0].id, permission: 'identity:list_roles', decision: 'allow' });
  });

  it('filters by subject, action, resource, decision and since, and pages with next_token', async () => {
    for (const action of ['read', 'delete', 'share']) await t.request('POST', '/access/v1/evaluation', { body: ask('bob', action, 'doc', 'd1') });
    const denied = await decisions('?subject=bob&decision=deny&resource_type=doc&kind=resource');
    expect(denied.body.decisions.map((d: { action: { name: string } }) => d.action.name)).toContain('share');
    expect(denied.body.decisions.every((d: { decision: string }) => d.decision === 'deny')).toBe(true);
    expect((await decisions('?action=delete&subject=bob')).body.decisions).toHaveLength(1);
    expect((await decisions(`?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body.decisions).toEqual([]);

    const all: string[] = [];
    let token: string | null = null;
    do {
      const page: { body: { decisions: { id: string }[]; next_token: string | null } } = await decisions(`?subject=bob&limit=2${token ? `&page_token=${token}` : ''}`);
      all.push(...page.body.decisions.map((d) => d.id));
      token = page.body.next_token;
    } while (token);
    expect(all.length).toBeGreaterThanOrEqual(6);
    expect([...all].sort().reverse()).toEqual(all); // newest first, no repeats
    expect(new Set(all).size).toBe(all.length);
  });

  it('never stores a credential', async () => {
    const secret = await t.token('bob', { project: 'p1' });
    await t.request('POST', '/access/v1/evaluation', { token: secret, body: ask('bob', 'read', 'doc', 'd1') });
    const text = (await decisions('?limit=1000')).text;
    expect(text).not.toContain(secret);
    expect(text).not.toContain(ADMIN_TOKEN);
  });

  it('needs decisions:read (admins by default), and refuses bad filters with 400', async () => {
    const bob = await t.token('bob', { project: 'p1' });
    const refused = await decisions('', bob);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('You are not authorized to read the decision log.');
    for (const q of ['?decision=maybe', '?since=yesterday', '?limit=0', '?subjekt=bob', '?page_token=garbage', '?shadow=sometimes']) {
      const res = await decisions(q);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe(400);
    }
  });
});

describe('decision log switched off', () => {
  it('still gives ids, and keeps nothing with PORTCULLIS_DECISION_LOG_SIZE=0', async () => {
    const t = await startTestApp({ PORTCULLIS_DECISION_LOG_SIZE: '0' });
    try {
      const res = await t.request('POST', '/access/v1/evaluation', { body: ask('admin', 'read', 'doc', 'x') });
      expect(res.body.context.decision_id).toMatch(/^[0-9a-f-]{36}$/);
      expect((await t.request('GET', '/v1/decisions')).body).toEqual({ decisions: [], next_token: null });
    } finally {
      await t.close();
    }
  });
});
