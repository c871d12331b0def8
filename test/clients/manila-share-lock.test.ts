/**
 * `openstack share lock` (python-openstackclient 10.5.0 with python-manilaclient 6.3.0, unmodified)
 * against a running Portcullis, as a project member would use it, from a plain clouds.yaml
 * (username and password; the token's catalog names the shared-file-system endpoint): lock a share
 * found by name and by id, show, list (all, and filtered by the share's name), set the reason, and
 * delete, with the decision API refusing the share's deletion while a lock stands.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { grant, share } from '../api/manila/manila-fixtures.js';
import { VENV, requireClient, runOk, venvReady } from './harness.js';

describe.runIf(requireClient(venvReady, 'the Python clients venv'))('openstack share lock (python-manilaclient 6.3)', () => {
  let t: TestApp;
  let env: Record<string, string>;
  let project: string;
  let alice: string;
  let shareId: string;

  const openstack = async (...args: string[]) => runOk(join(VENV, 'bin', 'openstack'), args, env);
  const json = async (...args: string[]) => JSON.parse(await openstack(...args, '-f', 'json'));
  const mayDelete = async () => {
    const res = await t.request('POST', '/access/v1/evaluation', {
      body: { subject: { type: 'user', id: alice }, action: { name: 'delete' }, resource: { type: 'share', id: shareId } },
    });
    return res.body.decision as boolean;
  };

  beforeAll(async () => {
    t = await startTestApp();
    // A project and a member of it who logs in by password, made through the Keystone API.
    const created = await t.request('POST', '/identity/v3/projects', { body: { project: { name: 'finance', domain_id: 'default' } } });
    project = created.body.project.id;
    const user = await t.request('POST', '/identity/v3/users', {
      body: { user: { name: 'alice', domain_id: 'default', password: 'alice-pass-1', default_project_id: project } },
    });
    expect(user.status).toBe(201);
    alice = user.body.user.id;
    await grant(t, alice, 'member', { project });
    shareId = await share(t, project, { status: 'available', owner: alice, attributes: { name: 'payroll', size: 1, share_proto: 'NFS' } });
    const clouds = join(mkdtempSync(join(tmpdir(), 'portcullis-clouds-')), 'clouds.yaml');
    writeFileSync(
      clouds,
      `clouds:
  finance:
    auth:
      auth_url: ${t.url}/identity/v3
      username: alice
      password: alice-pass-1
      user_domain_name: Default
      project_name: finance
      project_domain_name: Default
    identity_api_version: 3
    region_name: RegionOne
`,
    );
    env = { OS_CLIENT_CONFIG_FILE: clouds, OS_CLOUD: 'finance' };
  });
  afterAll(async () => t.close());

  it('creates, shows, lists, sets and deletes locks on a share looked up by name and by id', async () => {
    const byName = await json('share', 'lock', 'create', 'payroll', 'share', '--lock-reason', 'quarter close');
    expect(byName).toMatchObject({
      resource_id: shareId,
      resource_type: 'share',
      resource_action: 'delete',
      lock_context: 'user',
      user_id: alice,
      project_id: project,
      lock_reason: 'quarter close',
    });
    const byId = await json('share', 'lock', 'create', shareId, 'share');
    expect(byId.resource_id).toBe(shareId);
    expect(await mayDelete()).toBe(false);

    const shown = await json('share', 'lock', 'show', byName.id);
    expect(shown).toMatchObject({ ID: byName.id, 'Resource Id': shareId, 'Lock Context': 'user', 'Lock Reason': 'quarter close' });

    const all = await json('share', 'lock', 'list');
    expect(all.map((l: { ID: string }) => l.ID).sort()).toEqual([byName.id, byId.id].sort());
    const filtered = await json('share', 'lock', 'list', '--resource', 'payroll', '--resource-type', 'share', '--detailed');
    expect(filtered).toHaveLength(2);
    expect(filtered[0]).toMatchObject({ 'Resource Id': shareId, 'User Id': alice, 'Project Id': project });

    await openstack('share', 'lock', 'set', byName.id, '--lock-reason', 'audit extended');
    expect((await json('share', 'lock', 'show', byName.id))['Lock Reason']).toBe('audit extended');

    await openstack('share', 'lock', 'delete', byName.id, byId.id);
    expect(await json('share', 'lock', 'list')).toEqual([]);
    expect(await mayDelete()).toBe(true);
  }, 180_000); // each openstack command is a Python process start (~1-2 s)
});
