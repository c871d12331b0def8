/**
 * The Traffic Ops v4 Go client (apache/trafficcontrol v8.0.2, unmodified, built by setup.sh into
 * test/clients/trafficops/main.go's session) against a running Portcullis: login with a user name
 * and password (API 4.1), create a hard CDN lock, list it, delete it, log out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantRole } from '../helpers/seed.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { TO_SESSION, requireClient, run, toSessionReady } from './harness.js';

describe.runIf(requireClient(toSessionReady, 'the Traffic Ops Go client session'))('Traffic Ops v4 Go client (v8.0.2)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    // An operator created through the Keystone API with a password, holding manager on the system
    // (Traffic Ops' "operations"), and a registered CDN.
    const created = await t.request('POST', '/identity/v3/users', {
      body: { user: { name: 'to-operator', domain_id: 'default', password: 'operator-pass-2' } },
    });
    expect(created.status).toBe(201);
    await grantRole(t, { user: created.body.user.id }, 'manager', { system: true });
    expect((await t.request('PUT', '/v1/resources/cdn/cdn-edge', { body: { domain_id: 'default' } })).status).toBe(201);
  });
  afterAll(async () => t.close());

  it('logs in, creates, lists and deletes a CDN lock, and logs out', async () => {
    const r = await run(TO_SESSION, ['-url', t.url, '-user', 'to-operator', '-password', 'operator-pass-2', '-cdn', 'cdn-edge']);
    const steps = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { step: string; ok: boolean; detail?: any; error?: string });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(steps.map((s) => [s.step, s.ok])).toEqual([
      ['login', true],
      ['create', true],
      ['list', true],
      ['delete', true],
      ['logout', true],
    ]);
    expect(steps[0]!.detail.apiVersion).toBe('4.1');
    expect(steps[1]!.detail.lock).toMatchObject({ userName: 'to-operator', cdn: 'cdn-edge', soft: false, message: 'maintenance window' });
    expect(steps[1]!.detail.alerts).toEqual([{ text: 'hard CDN lock acquired!', level: 'success' }]);
    expect(steps[4]!.detail.afterLogout).toBe(401);
    expect((await t.request('GET', '/api/4.0/cdn_locks')).body.response).toEqual([]);
  }, 60_000);
});
