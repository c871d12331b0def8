/**
 * Who may call set_ownership (docs/compatibility.md §5.1, §5.2, §7 Q-7): credentials, product features as Casbin
 * rules, target visibility through the decision engine, and the family's error envelope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../../helpers/test-app.js';
import { grantRole } from '../../helpers/seed.js';
import { grantOnProject, register, seedWorld, setOwnership } from './world.js';

const BODY = { action: 'set_ownership', resource: { owner: { name: 'jdoe' } } };
const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

describe('ManageIQ access rules and envelope', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedWorld(t);
    await register(t, 'vms', '320', { project_id: 'p1' });
    await register(t, 'vms', '330', { project_id: 'p2' });
    await grantOnProject(t, 'u-mgr', 'manager', 'p1');
    await grantOnProject(t, 'u-reader', 'reader', 'p1');
    await grantOnProject(t, 'u-outsider', 'manager', 'p2');
  });
  afterAll(async () => t.close());

  describe('credentials', () => {
    it('answers 401 in the ManageIQ envelope without a credential or with a bad one', async () => {
      for (const token of [null, 'not-a-token']) {
        const res = await setOwnership(t, '/api/vms/320', BODY, { token });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ error: { kind: 'unauthorized', message: 'Authentication failed', klass: 'Api::AuthenticationError' } });
      }
    });

    it('accepts X-Auth-Token and Bearer', async () => {
      expect((await setOwnership(t, '/api/vms/320', BODY, { headers: { 'X-Auth-Token': ADMIN_TOKEN } })).status).toBe(200);
      expect((await setOwnership(t, '/api/vms/320', BODY)).status).toBe(200);
    });

    it('accepts Basic as a user name and password (in the default domain), and nothing else', async () => {
      await t.portcullis.context.services.passwords.set('u-mgr', 'mgr-secret-1', { revokeTokens: false });
      await grantRole(t, { user: 'u-mgr' }, 'manager', { system: true });
      const ok = await setOwnership(t, '/api/vms/320', BODY, { headers: { Authorization: basic('manager1', 'mgr-secret-1') } });
      expect(ok.status).toBe(200);
      for (const header of [basic('manager1', 'wrong'), basic('u-mgr', 'mgr-secret-1'), basic('admin', ADMIN_TOKEN), basic('jdoe', '')]) {
        const res = await setOwnership(t, '/api/vms/320', BODY, { headers: { Authorization: header } });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ error: { kind: 'unauthorized', message: 'Authentication failed', klass: 'Api::AuthenticationError' } });
      }
    });
  });

  describe('product features (policies/manageiq.csv)', () => {
    it('lets a manager of the project set ownership', async () => {
      const token = await t.token('u-mgr', { project: 'p1' });
      const res = await setOwnership(t, '/api/vms/320', BODY, { token });
      expect(res.status).toBe(200);
    });

    it('forbids a caller whose roles lack the feature', async () => {
      for (const [user, project] of [['u-reader', 'p1'], ['u-jdoe', 'p1']] as const) {
        const res = await setOwnership(t, '/api/vms/320', BODY, { token: await t.token(user, { project }) });
        expect(res.status).toBe(403);
        expect(res.body).toEqual({ error: { kind: 'forbidden', message: 'Use of Action set_ownership is forbidden', klass: 'Api::ForbiddenError' } });
      }
      const bulk = await setOwnership(t, '/api/vms', { action: 'set_ownership', resources: [{ id: 320, owner: { name: 'jdoe' } }] }, {
        token: await t.token('u-reader', { project: 'p1' }),
      });
      expect(bulk.status).toBe(403);
    });

    it('hides targets the caller may not read: 403 for a single request, a failed item in bulk', async () => {
      const token = await t.token('u-outsider', { project: 'p2' });
      const single = await setOwnership(t, '/api/vms/320', BODY, { token });
      expect(single.status).toBe(403);
      expect(single.body).toEqual({ error: { kind: 'forbidden', message: 'Access to the resource vms/320 is forbidden', klass: 'Api::ForbiddenError' } });
      const bulk = await setOwnership(t, '/api/vms', { action: 'set_ownership', resources: [{ id: 330, owner: { name: 'jdoe' } }, { id: 320, owner: { name: 'jdoe' } }] }, { token });
      expect(bulk.status).toBe(200);
      expect(bulk.body.results.map((r: { success: boolean; message: string }) => [r.success, r.message])).toEqual([
        [true, 'setting ownership of vms id 330 to owner: jdoe'],
        [false, 'Access to the resource vms/320 is forbidden'],
      ]);
    });

    it('grants a feature to the group selected with X-MIQ-Group, only when the caller is in it (Q-7)', async () => {
      const added = await t.request('POST', '/v1/policy/rules', { body: { ptype: 'p2', values: ['miq_group:g-ops', 'manageiq:vm_ownership', 'true', 'allow'] } });
      expect(added.status).toBe(201);
      await register(t, 'vms', '340', { project_id: 'p1', owner: 'u-jdoe' });
      // u-jdoe owns vms/340 (so may read it) but holds no role: only the selected group can help.
      const jdoe = await t.token('u-jdoe', { project: 'p1' });
      const none = await setOwnership(t, '/api/vms/340', BODY, { token: jdoe, headers: { 'X-MIQ-Group': 'ops' } });
      expect(none.status).toBe(403); // jdoe is not in ops: the header is ignored
      const { stores, graph } = t.portcullis.context;
      await stores.directory.memberships.add('g-ops', 'u-jdoe');
      graph.addMember('g-ops', 'u-jdoe');
      expect((await setOwnership(t, '/api/vms/340', BODY, { token: jdoe })).status).toBe(403);
      for (const selector of ['ops', 'g-ops']) {
        const res = await setOwnership(t, '/api/vms/340', BODY, { token: jdoe, headers: { 'X-MIQ-Group': selector } });
        expect(res.status, selector).toBe(200);
      }
      const other = await setOwnership(t, '/api/services/1', BODY, { token: jdoe, headers: { 'X-MIQ-Group': 'ops' } });
      expect(other.status).toBe(403); // the rule grants vm_ownership only
    });
  });

  describe('request errors', () => {
    it('answers 400 for an unknown or missing action, at resource and collection level', async () => {
      const cases: [string, unknown, string][] = [
        ['/api/vms/320', { action: 'frobnicate' }, 'Unsupported Action frobnicate for the vms resource specified'],
        ['/api/vms', { action: 'frobnicate' }, 'Unsupported Action frobnicate for the vms collection specified'],
        ['/api/vms/320', { resource: { owner: { name: 'jdoe' } } }, 'Unsupported Action create for the vms resource specified'],
      ];
      for (const [path, body, message] of cases) {
        const res = await setOwnership(t, path, body);
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ error: { kind: 'bad_request', message, klass: 'Api::BadRequestError' } });
      }
    });

    it('answers 404 in the ManageIQ envelope for unknown collections and paths under /api', async () => {
      for (const path of ['/api/users/1', '/api/v4.0/hosts', '/api/v4.0', '/api', '/api/vms/320/snapshots', '/api/vms/320/a/b/c']) {
        const res = await setOwnership(t, path, BODY);
        expect(res.status, path).toBe(404);
        expect(res.body.error.kind).toBe('not_found');
        expect(res.body.error.klass).toBe('Api::NotFoundError');
      }
      expect((await setOwnership(t, '/api/users/1', BODY)).body.error.message).toBe('Unsupported Collection users specified');
      expect((await setOwnership(t, '/api/v4.0', BODY)).body.error.message).toBe('Invalid request /api/v4.0');
    });

    it('answers malformed JSON with bad_request / JSON::ParserError', async () => {
      const res = await t.request('POST', '/api/vms/320', { raw: '{"action": ' });
      expect(res.status).toBe(400);
      expect(res.body.error.kind).toBe('bad_request');
      expect(res.body.error.klass).toBe('JSON::ParserError');
    });

    it('answers a body that is not an object with 400', async () => {
      const res = await t.request('POST', '/api/vms/320', { body: [1, 2] });
      expect(res.status).toBe(400);
      expect(res.body.error.kind).toBe('bad_request');
    });

    it('answers 405 for other methods and 415 for a non-JSON Accept', async () => {
      const put = await t.request('PUT', '/api/vms/320', { body: BODY });
      expect(put.status).toBe(405);
      expect(put.body.error).toEqual({
        kind: 'method_not_allowed',
        message: 'Unsupported HTTP Method put for the vms resource specified',
        klass: 'ActionController::MethodNotAllowed',
      });
      const html = await setOwnership(t, '/api/vms/320', BODY, { headers: { Accept: 'text/html' } });
      expect(html.status).toBe(415);
      expect(html.body).toEqual({ error: { kind: 'unsupported_media_type', message: 'Invalid Response Format text/html requested', klass: 'Api::UnsupportedMediaTypeError' } });
    });
  });

  it('documents both routes of every collection in /openapi.json, also under a version prefix', async () => {
    const res = await t.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const paths = ['/api/vms/{id}', '/api/vms', '/api/{version}/services/{id}', '/api/{version}/services'];
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(paths));
  });
});
