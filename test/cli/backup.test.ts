import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase, freshDbName, MONGODB_URI } from '../helpers/mongo-env.js';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../helpers/test-app.js';
import { cli } from './run-cli.js';

const env = { PORTCULLIS_TOKEN: ADMIN_TOKEN };
const H = { token: null, headers: { 'X-Auth-Token': ADMIN_TOKEN } } as const;

/** Builds a small world through the APIs (and the lock stores), returning the ids it made. */
async function seed(t: TestApp) {
  const post = async (p: string, body: object) => (await t.request('POST', p, { ...H, body })).body;
  const put = async (p: string, body?: object) => {
    const res = await t.request('PUT', p, { ...H, ...(body ? { body } : {}) });
    expect(res.status, p).toBeLessThan(300);
  };
  const p1 = (await post('/identity/v3/projects', { project: { name: 'p1', domain_id: 'default' } })).project.id;
  const bob = (await post('/identity/v3/users', { user: { name: 'bob', domain_id: 'default' } })).user.id;
  const carol = (await post('/identity/v3/users', { user: { name: 'carol', domain_id: 'default' } })).user.id;
  const ops = (await post('/identity/v3/groups', { group: { name: 'ops', domain_id: 'default' } })).group.id;
  const editor = (await post('/identity/v3/roles', { role: { name: 'editor' } })).role.id;
  const member = (await t.request('GET', '/identity/v3/roles?name=member', H)).body.roles[0].id;
  await put(`/identity/v3/groups/${ops}/users/${carol}`);
  await put(`/identity/v3/roles/${editor}/implies/${member}`);
  await put(`/identity/v3/projects/${p1}/groups/${ops}/roles/${editor}`);
  await put(`/identity/v3/projects/${p1}/users/${bob}/roles/${member}`);
  await put('/v1/resources/doc/d1', { project_id: p1, owner: bob });
  await put('/v1/resources/doc/d2', { project_id: p1 });
  expect((await t.request('POST', '/v1/policy/rules', { body: { ptype: 'p', values: ['role:editor', 'doc', 'share', 'allow'] } })).status).toBe(201);
  const { stores } = t.portcullis.context;
  expect(await stores.routeLocks.acquire('doc', 'd2', bob, '2026-01-01T00:00:00Z')).toBe('acquired');
  await stores.cdnLocks.create({ cdn: 'cdn1', userId: bob, userName: 'bob', message: 'maintenance', soft: false, sharedUserIds: [carol], sharedUserNames: ['carol'], lastUpdated: '2026-01-01T00:00:00Z' });
  return { bob, carol };
}

const QUESTIONS = [
  ['carol', 'share', 'd1'],
  ['carol', 'update', 'd1'],
  ['bob', 'update', 'd1'],
  ['carol', 'update', 'd2'],
  ['bob', 'update', 'd2'],
  ['carol', 'delete', 'd2'],
] as const;

async function answers(t: TestApp, ids: Record<string, string>): Promise<string[]> {
  const out: string[] = [];
  for (const [who, action, doc] of QUESTIONS) {
    const res = await t.request('POST', '/access/v1/evaluation', { body: { subject: { type: 'user', id: ids[who] }, action: { name: action }, resource: { type: 'doc', id: doc } } });
    out.push(`${who} ${action} ${doc}: ${res.body.decision} ${res.body.context.reason.replace(/\(.*\)/, '')}`);
  }
  return out;
}

describe('portcullis export / import', () => {
  let a: TestApp;
  let ids: { bob: string; carol: string };
  let expected: string[];
  let file: string;
  beforeAll(async () => {
    a = await startTestApp();
    ids = await seed(a);
    expected = await answers(a, ids);
    file = path.join(mkdtempSync(path.join(tmpdir(), 'portcullis-export-')), 'export.json');
  });
  afterAll(async () => a.close());

  it('exports through a server: every section, with ids, and no credential', async () => {
    const r = await cli(['export', '--server', a.url, '--output', file], { env });
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^exported 1 domains, 1 projects, 3 users, 1 groups, 1 memberships, 6 roles, 4 implied_roles, 3 grants, 2 resources, 0 manila_locks, 1 cdn_locks, 1 route_locks, 1 rules$/m);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc).toMatchObject({ format: 'portcullis-export', version: 1 });
    expect(doc.route_locks).toEqual([{ route: 'doc', resourceId: 'd2', userId: ids.bob, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' }]);
    expect(JSON.stringify(doc)).not.toContain(ADMIN_TOKEN);
  });

  it('imports into a fresh server (its own bootstrap role ids) so that it decides the same; twice changes nothing', async () => {
    const b = await startTestApp();
    try {
      const first = await cli(['import', file, '--server', b.url], { env });
      expect(first.err).toBe('');
      expect(first.code).toBe(0);
      expect(first.out).toMatch(/^roles: 1 created, 5 already there \(5 under another id\)$/m);
      expect(first.out).toMatch(/^grants: 2 created, 1 already there$/m);
      expect(first.out).toMatch(/^rules: 1 created, 0 already there$/m);
      expect(await answers(b, ids)).toEqual(expected);
      const again = await cli(['import', file, '--server', b.url], { env });
      expect(again.code).toBe(0);
      expect(again.out).not.toMatch(/[1-9]\d* created/);
    } finally {
      await b.close();
    }
  });

  it('reads the document from standard input, and refuses what is not an export document (exit 2)', async () => {
    const b = await startTestApp();
    try {
      const r = await cli(['import', '-', '--server', b.url], { env, stdin: readFileSync(file, 'utf8') });
      expect(r.code).toBe(0);
      const bad = await cli(['import', '-', '--server', b.url], { env, stdin: JSON.stringify({ format: 'portcullis-export', version: 1, users: [{ id: 'x' }] }) });
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(/is not a Portcullis export document: users\.0\.name/);
      const notJson = path.join(path.dirname(file), 'not.json');
      writeFileSync(notJson, '{');
      expect((await cli(['import', notJson, '--server', b.url], { env })).code).toBe(2);
    } finally {
      await b.close();
    }
  });

  it('needs a target, one only, and backup permissions on the server', async () => {
    expect((await cli(['export'], { env })).code).toBe(2);
    expect((await cli(['export', '--server', a.url, '--mongodb', 'mongodb://x'], { env })).code).toBe(2);
    expect((await cli(['import', '--server', a.url], { env })).code).toBe(2);
    const bobToken = await a.token(ids.bob, {});
    const refused = await cli(['export', '--server', a.url, '--token', bobToken]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/403 You are not authorized to export\./);
  });

  // Declared only where MongoDB runs, like the store suites.
  if (MONGODB_URI) {
    it('imports straight into a MongoDB database and exports from it; a server started on it decides the same', async () => {
      const db = freshDbName('import');
      try {
        const imported = await cli(['import', file, '--mongodb', MONGODB_URI!, '--db', db]);
        expect(imported.code).toBe(0);
        expect(imported.out).toMatch(/^roles: 6 created, 0 already there$/m);
        const exported = await cli(['export', '--mongodb', MONGODB_URI!, '--db', db]);
        expect(exported.code).toBe(0);
        const doc = JSON.parse(exported.out);
        const original = JSON.parse(readFileSync(file, 'utf8'));
        for (const s of ['users', 'grants', 'resources', 'route_locks', 'cdn_locks', 'rules', 'implied_roles']) {
          expect(doc[s], s).toEqual(original[s]);
        }
        const c = await startTestApp({ MONGODB_URI: MONGODB_URI!, MONGODB_DB: db });
        try {
          expect(await answers(c, ids)).toEqual(expected);
        } finally {
          await c.close();
        }
      } finally {
        await dropDatabase(MONGODB_URI!, db);
      }
    });
  }
});
