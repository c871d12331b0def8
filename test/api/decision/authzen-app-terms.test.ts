import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProject, grantRole } from '../../helpers/seed.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

// Users get generated ids, as the Keystone API gives them; apps know them by name.
const ALICE = 'a11ce0000000000000000000000000a1';
const SAM_DEFAULT = '5a40000000000000000000000000def0';
const SAM_OTHER = '5a400000000000000000000000000d20';

const ask = (subject: object, action: string, resource: object, extra: object = {}) => ({
  subject,
  action: { name: action },
  resource,
  ...extra,
});

describe('AuthZEN in the app’s terms', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    const { stores } = t.portcullis.context;
    await stores.directory.domains.create({ id: 'd2', name: 'Other', description: '', enabled: true });
    await stores.directory.users.create({ id: ALICE, name: 'alice', domainId: 'default', enabled: true, email: 'alice@example.com' });
    await stores.directory.users.create({ id: SAM_DEFAULT, name: 'sam', domainId: 'default', enabled: true });
    await stores.directory.users.create({ id: SAM_OTHER, name: 'sam', domainId: 'd2', enabled: true });
    await addProject(t, 'p1');
    await grantRole(t, { user: ALICE }, 'member', { project: 'p1' });
    await grantRole(t, { user: SAM_OTHER }, 'member', { project: 'p1' });
    await t.request('PUT', '/v1/resources/doc/d1', { body: { project_id: 'p1' } });
    await t.request('PUT', '/v1/resources/doc/mine', { body: { project_id: 'p2', owner: 'ghost@example.com' } });
    const rules = [
      ['role:member', 'doc', 'approve', 'allow', 'r.obj.properties.ownerID == r.sub.id'],
      ['role:member', 'doc', 'sign', 'allow', "r.obj.properties.ownerID == r.sub.email && r.act.properties.ink == 'blue'"],
      ['user:ghost@example.com', 'doc', 'peek', 'allow'],
    ];
    for (const values of rules) {
      const res = await t.request('POST', '/v1/policy/rules', { body: { ptype: 'p', values } });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => t.close());

  const decide = async (body: object) => {
    const res = await t.request('POST', '/access/v1/evaluation', { body });
    return { status: res.status, ...res.body };
  };

  describe('subjects', () => {
    it('resolve a user name to the directory user, whose roles count', async () => {
      const d = await decide(ask({ type: 'user', id: 'alice' }, 'delete', { type: 'doc', id: 'd1' }));
      expect(d).toMatchObject({ status: 200, decision: true, context: { role_path: `${ALICE} → member on project p1` } });
      const byId = await decide(ask({ type: 'user', id: ALICE }, 'delete', { type: 'doc', id: 'd1' }));
      expect(byId.decision).toBe(true);
    });

    it('refuse a name held in two domains with 400, and take the domain from subject.properties.domain_id', async () => {
      const ambiguous = await decide(ask({ type: 'user', id: 'sam' }, 'delete', { type: 'doc', id: 'd1' }));
      expect(ambiguous.status).toBe(400);
      expect(ambiguous.error.message).toBe("subject 'sam' names users in 2 domains (d2, default); give subject.properties.domain_id");
      const other = await decide(ask({ type: 'user', id: 'sam', properties: { domain_id: 'd2' } }, 'delete', { type: 'doc', id: 'd1' }));
      expect(other.decision).toBe(true);
      const home = await decide(ask({ type: 'user', id: 'sam', properties: { domain_id: 'default' } }, 'delete', { type: 'doc', id: 'd1' }));
      expect(home.decision).toBe(false);
      // A caller who may only ask about itself learns nothing from the lookup.
      const token = await t.token(ALICE, { project: 'p1' });
      const probe = await t.request('POST', '/access/v1/evaluation', { token, body: ask({ type: 'user', id: 'sam' }, 'read', { type: 'doc', id: 'd1' }) });
      expect(probe.status).toBe(403);
    });

    it('decide a subject the directory does not know, with no roles but user: rows and ownership', async () => {
      const ghost = { type: 'user', id: 'ghost@example.com' };
      expect((await decide(ask(ghost, 'peek', { type: 'doc', id: 'd1' }))).decision).toBe(true);
      expect((await decide(ask(ghost, 'update', { type: 'doc', id: 'mine' }))).context.relations).toEqual(['owner']);
      expect((await decide(ask(ghost, 'delete', { type: 'doc', id: 'd1' }))).decision).toBe(false);
    });

    it('let a JWT whose sub is a user name act as that user', async () => {
      const token = await t.token('alice', { project: 'p1' });
      const self = await t.request('POST', '/access/v1/evaluation', {
        token,
        body: ask({ type: 'user', id: ALICE }, 'read', { type: 'doc', id: 'd1' }),
      });
      expect(self.status).toBe(200);
      const asAlice = await t.request('GET', '/v1/resources/doc/d1', { token });
      expect(asAlice.status).toBe(403); // alice is no registry reader: her own roles count, not the name's absence
      const other = await t.request('POST', '/access/v1/evaluation', { token, body: ask({ type: 'user', id: 'ghost' }, 'read', { type: 'doc', id: 'd1' }) });
      expect(other.status).toBe(403);
    });
  });

  describe('conditions on p rows', () => {
    it('compare a request property with the subject id as the app sent it', async () => {
      const approve = async (ownerID: string) =>
        (await decide(ask({ type: 'user', id: 'alice' }, 'approve', { type: 'doc', id: 'd1', properties: { ownerID } }))).decision;
      expect([await approve('alice'), await approve('bob')]).toEqual([true, false]);
    });

    it('read the directory user’s attributes and the action’s properties', async () => {
      const sign = async (ink: string) =>
        (
          await decide({
            subject: { type: 'user', id: 'alice' },
            action: { name: 'sign', properties: { ink } },
            resource: { type: 'doc', id: 'd1', properties: { ownerID: 'alice@example.com' } },
          })
        ).decision;
      expect([await sign('blue'), await sign('red')]).toEqual([true, false]);
    });

    it('refuse a stored rule whose condition does not compile, keeping nothing', async () => {
      const res = await t.request('POST', '/v1/policy/rules', {
        body: { ptype: 'p', values: ['*', 'doc', 'read', 'allow', 'r.obj.properties.x =='] },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^store: invalid condition/);
      const six = await t.request('POST', '/v1/policy/rules', { body: { ptype: 'p', values: ['*', 'doc', 'read', 'allow', 'true', 'x'] } });
      expect(six.status).toBe(400);
    });
  });

  describe('search', () => {
    it('answers subjects in the ids the app uses: names, or the id where the name is ambiguous', async () => {
      const res = await t.request('POST', '/access/v1/search/subject', {
        body: { subject: { type: 'user' }, action: { name: 'delete' }, resource: { type: 'doc', id: 'd1' } },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ results: [SAM_OTHER, 'alice', 'admin'].map((id) => ({ type: 'user', id })) });
      const inD2 = await t.request('POST', '/access/v1/search/subject', {
        body: { subject: { type: 'user', properties: { domain_id: 'd2' } }, action: { name: 'delete' }, resource: { type: 'doc', id: 'd1' } },
      });
      expect(inD2.body.results.map((r: { id: string }) => r.id)).toContain('sam');
    });

    it('finds nothing for a subject type that names no users', async () => {
      const res = await t.request('POST', '/access/v1/search/subject', {
        body: { subject: { type: 'spaceship' }, action: { name: 'read' }, resource: { type: 'doc', id: 'd1' } },
      });
      expect(res.body).toEqual({ results: [] });
      const actions = await t.request('POST', '/access/v1/search/action', {
        body: { subject: { type: 'spaceship', id: 'x' }, resource: { type: 'doc', id: 'd1' } },
      });
      expect(actions.body).toEqual({ results: [] });
    });

    it('refuses an invalid page token, and a token reused with a changed request, with 400', async () => {
      const body = { subject: { type: 'user' }, action: { name: 'delete' }, resource: { type: 'doc', id: 'd1' } };
      const first = await t.request('POST', '/access/v1/search/subject', { body: { ...body, page: { limit: 1 } } });
      const token = first.body.page.next_token as string;
      expect(token).not.toBe('');
      const next = await t.request('POST', '/access/v1/search/subject', { body: { ...body, page: { limit: 1, token } } });
      expect(next.status).toBe(200);
      const garbage = await t.request('POST', '/access/v1/search/subject', { body: { ...body, page: { token: 'not-a-token' } } });
      expect(garbage.status).toBe(400);
      expect(garbage.body.error.message).toBe('page.token is not a token this search returned');
      const changed = await t.request('POST', '/access/v1/search/subject', {
        body: { ...body, action: { name: 'read' }, page: { token } },
      });
      expect(changed.status).toBe(400);
      expect(changed.body.error.message).toMatch(/^page.token was returned for a different search/);
      const resources = await t.request('POST', '/access/v1/search/resource', {
        body: { subject: { type: 'user', id: 'alice' }, action: { name: 'read' }, resource: { type: 'doc' }, page: { token: '%%%' } },
      });
      expect(resources.status).toBe(400);
    });
  });

  describe('the wire', () => {
    it('refuses a body that is not declared JSON with 400 in the envelope', async () => {
      const raw = JSON.stringify(ask({ type: 'user', id: 'alice' }, 'read', { type: 'doc', id: 'd1' }));
      for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
        const res = await t.request('POST', '/access/v1/evaluation', { raw, headers: { 'Content-Type': type } });
        expect(res.status).toBe(400);
        expect(res.body.error).toEqual({ code: 400, message: `Content-Type must be application/json, got ${type}` });
      }
      const empty = await t.request('POST', '/access/v1/evaluation', { headers: { 'Content-Type': 'application/json' } });
      expect(empty.status).toBe(400);
    });

    it('answers 401 with a bearer challenge', async () => {
      const none = await t.request('POST', '/access/v1/evaluation', { token: null, body: {} });
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="portcullis"');
      const bad = await t.request('POST', '/access/v1/evaluation', { token: 'not-valid', body: {} });
      expect(bad.headers.get('www-authenticate')).toBe('Bearer realm="portcullis", error="invalid_token"');
    });

    it('reads fields beside type and id as properties (pre-1.0 interop shapes)', async () => {
      const d = await decide({
        subject: { type: 'user', id: 'alice', identity: 'CiRm' },
        action: { name: 'approve' },
        resource: { type: 'doc', id: 'd1', ownerID: 'alice' },
      });
      expect(d.decision).toBe(true);
    });
  });
});
