/**
 * manageiq-client 0.6.1 (unmodified) against a running Portcullis: Basic auth with a user's name and
 * password, the entry point, a VM found by name, `set_ownership` on it, and a bulk `set_ownership`
 * of two VMs; the registry then holds the new owner and group (test/clients/manageiq_session.py).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantRole } from '../helpers/seed.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { register, seedWorld } from '../api/manageiq/world.js';
import { VENV, requireClient, runOk, venvReady } from './harness.js';

describe.runIf(requireClient(venvReady, 'the Python clients venv'))('manageiq-client 0.6.1 set_ownership', () => {
  let t: TestApp;
  let operator: string;

  beforeAll(async () => {
    t = await startTestApp();
    await seedWorld(t);
    // The operator logs in by name and password: created through the Keystone API like any user,
    // with the manager role on the system (a password login stands in the system scope).
    const created = await t.request('POST', '/identity/v3/users', {
      body: { user: { name: 'miq-operator', domain_id: 'default', password: 'operator-pass-1' } },
    });
    expect(created.status).toBe(201);
    operator = created.body.user.id;
    await grantRole(t, { user: operator }, 'manager', { system: true });
    await register(t, 'vms', '320', { project_id: 'p1', owner: 'u-old', attributes: { name: 'web-1' } });
    await register(t, 'vms', '41', { project_id: 'p1', attributes: { name: 'db-1' } });
    await register(t, 'vms', '42', { project_id: 'p1', attributes: { name: 'db-2' } });
  });
  afterAll(async () => t.close());

  it('sets ownership of one VM and of two in bulk', async () => {
    const out = JSON.parse(
      await runOk(join(VENV, 'bin', 'python'), [join(import.meta.dirname, 'manageiq_session.py'), t.url, 'miq-operator', 'operator-pass-1', 'jdoe', 'Sales Team']),
    );
    expect(out.version).toBe('4.4.0');
    expect(out.collections).toContain('vms');
    expect(out.identity).toMatchObject({ userid: 'miq-operator' });
    expect(out.found).toEqual({ id: '320', name: 'web-1' });
    expect(out.actions).toEqual(['set_ownership']);
    expect(out.single).toEqual({ success: true, message: 'setting ownership of vms id 320 to owner: jdoe', href: `${t.url}/api/vms/320` });
    expect(out.bulk.results.map((r: { success: boolean; message: string }) => [r.success, r.message])).toEqual([
      [true, 'setting ownership of vms id 41 to owner: jdoe, group: Sales Team'],
      [true, 'setting ownership of vms id 42 to owner: jdoe, group: Sales Team'],
    ]);
    for (const id of ['320', '41', '42']) {
      const res = await t.request('GET', `/v1/resources/vms/${id}`);
      expect(res.body.resource.owner, id).toBe('u-jdoe');
    }
    expect((await t.request('GET', '/v1/resources/vms/42')).body.resource.group).toBe('g-sales');
  }, 120_000);
});
