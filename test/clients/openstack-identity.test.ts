/**
 * The stock `openstack` client (python-openstackclient 10.5.0, unmodified) against a running
 * Portcullis with a plain clouds.yaml: username and password, no token in sight. A cloud admin
 * (system scope) creates roles, an implied-role rule, a project, a user with a password and a
 * group, grants roles and reads the assignments; that user then logs in by password to its
 * project, changes its own password, and its revoked token stops working.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { VENV, requireClient, run, runOk, venvReady } from './harness.js';

describe.runIf(requireClient(venvReady, 'the Python clients venv'))('openstack identity with password auth (python-openstackclient 10.5)', () => {
  let t: TestApp;
  let cloudsFile: string;

  const clouds = (url: string, carolPassword: string) => `clouds:
  admin:
    auth:
      auth_url: ${url}/identity/v3
      username: admin
      password: admin-secret
      user_domain_name: Default
      system_scope: all
    identity_api_version: 3
    region_name: RegionOne
  carol:
    auth:
      auth_url: ${url}/v3
      username: carol
      password: ${carolPassword}
      user_domain_name: Default
      project_name: demo
      project_domain_name: Default
    identity_api_version: 3
    region_name: RegionOne
`;
  const env = (cloud: string) => ({ OS_CLIENT_CONFIG_FILE: cloudsFile, OS_CLOUD: cloud });
  const openstack = (cloud: string, ...args: string[]) => runOk(join(VENV, 'bin', 'openstack'), args, env(cloud));
  const json = async (cloud: string, ...args: string[]) => JSON.parse(await openstack(cloud, ...args, '-f', 'json'));
  const admin = (...args: string[]) => openstack('admin', ...args);
  const adminJson = (...args: string[]) => json('admin', ...args);

  beforeAll(async () => {
    t = await startTestApp();
    // The one step that is not the client: give the bootstrap admin a password.
    const res = await t.request('PATCH', '/v3/users/admin', { body: { user: { password: 'admin-secret' } } });
    expect(res.status).toBe(200);
    cloudsFile = join(mkdtempSync(join(tmpdir(), 'portcullis-clouds-')), 'clouds.yaml');
    writeFileSync(cloudsFile, clouds(t.url, 'carol-secret'));
  });
  afterAll(async () => t.close());

  it('runs role, implied-role and assignment commands as a cloud admin logged in by password', async () => {
    const issued = await adminJson('token', 'issue');
    expect(issued).toMatchObject({ user_id: 'admin', system: 'all' });

    const lead = await adminJson('role', 'create', 'ops-lead');
    const ops = await adminJson('role', 'create', 'ops', '--description', 'runs the pager');
    expect(ops).toMatchObject({ name: 'ops', description: 'runs the pager', domain_id: null });
    expect((await adminJson('role', 'show', 'ops')).id).toBe(ops.id);
    const rule = await adminJson('implied', 'role', 'create', 'ops-lead', '--implied-role', 'ops');
    expect(rule).toMatchObject({ prior_role: lead.id, implies: ops.id });
    const rules = await adminJson('implied', 'role', 'list');
    expect(rules).toContainEqual(expect.objectContaining({ 'Prior Role Name': 'ops-lead', 'Implied Role Name': 'ops' }));

    const demo = await adminJson('project', 'create', 'demo', '--domain', 'default');
    const carol = await adminJson('user', 'create', 'carol', '--domain', 'default', '--password', 'carol-secret', '--project', 'demo');
    expect(carol).not.toHaveProperty('password');
    await admin('group', 'create', 'oncall', '--domain', 'default');
    await admin('group', 'add', 'user', 'oncall', 'carol');
    await admin('role', 'add', '--user', 'carol', '--project', 'demo', 'member');
    await admin('role', 'add', '--group', 'oncall', '--project', 'demo', 'ops-lead');

    const direct = await adminJson('role', 'assignment', 'list', '--user', 'carol', '--names');
    expect(direct).toEqual([expect.objectContaining({ Role: 'member', User: 'carol@Default', Project: 'demo@Default', Inherited: false })]);
    const effective = await adminJson('role', 'assignment', 'list', '--user', 'carol', '--project', 'demo', '--effective', '--names');
    expect(effective.map((a: { Role: string }) => a.Role).sort()).toEqual(['member', 'ops', 'ops-lead', 'reader']);
    const byProject = await adminJson('role', 'assignment', 'list', '--project', demo.id);
    expect(byProject).toHaveLength(2);

    // carol logs in by password to her project: the token holds what the assignments say.
    const carolToken = await json('carol', 'token', 'issue');
    expect(carolToken).toMatchObject({ user_id: carol.id, project_id: demo.id });
    const validated = await t.request('GET', '/v3/auth/tokens', { headers: { 'X-Subject-Token': carolToken.id } });
    expect(validated.body.token.roles.map((r: { name: string }) => r.name).sort()).toEqual(['member', 'ops', 'ops-lead', 'reader']);

    // carol changes her own password; the old one no longer logs in, the new one does.
    await openstack('carol', 'user', 'password', 'set', '--password', 'carol-new-secret', '--original-password', 'carol-secret');
    const refused = await run(join(VENV, 'bin', 'openstack'), ['token', 'issue'], env('carol'));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/401|requires authentication/);
    writeFileSync(cloudsFile, clouds(t.url, 'carol-new-secret'));
    const fresh = await json('carol', 'token', 'issue');

    // A revoked token is refused everywhere from then on.
    await admin('token', 'revoke', fresh.id);
    const after = await t.request('GET', `/v3/users/${carol.id}`, { headers: { 'X-Auth-Token': fresh.id } });
    expect(after.status).toBe(401);

    // And back out: revoke the grants, drop the rule and the roles.
    await admin('role', 'remove', '--group', 'oncall', '--project', 'demo', 'ops-lead');
    await admin('role', 'remove', '--user', 'carol', '--project', 'demo', 'member');
    expect(await adminJson('role', 'assignment', 'list', '--user', 'carol')).toEqual([]);
    await admin('implied', 'role', 'delete', 'ops-lead', '--implied-role', 'ops');
    expect(await adminJson('implied', 'role', 'list')).not.toContainEqual(expect.objectContaining({ 'Prior Role Name': 'ops-lead' }));
    await admin('role', 'delete', 'ops-lead', 'ops');
    expect((await adminJson('role', 'list')).map((r: { Name: string }) => r.Name)).not.toContain('ops');
  }, 300_000); // each openstack command is a Python process start (~1-3 s)
});
