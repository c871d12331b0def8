import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProject, addUser, grantRole } from '../helpers/seed.js';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../helpers/test-app.js';
import { cli, copyPolicies } from './run-cli.js';

describe('portcullis policy impact', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await addProject(t, 'p1');
    await addUser(t, 'bob');
    await grantRole(t, { user: 'bob' }, 'member', { project: 'p1' });
    await t.request('PUT', '/v1/resources/doc/d1', { body: { project_id: 'p1' } });
    await t.request('POST', '/access/v1/evaluation', { body: { subject: { type: 'user', id: 'bob' }, action: { name: 'update' }, resource: { type: 'doc', id: 'd1' } } });
  });
  afterAll(async () => t.close());

  const run = (dir: string, extra: string[] = [], env: Record<string, string> = { PORTCULLIS_TOKEN: ADMIN_TOKEN }) =>
    cli(['policy', 'impact', dir, '--server', t.url, ...extra], { env });

  it('prints the decisions the directory would flip (exit 0), deleting files the directory lacks', async () => {
    const dir = copyPolicies();
    const file = path.join(dir, 'resources.csv');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^p, role:member, \*, update, allow$/m, '# no more'));
    rmSync(path.join(dir, 'manageiq.csv'));
    const r = await run(dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^draft: 7 files, \d+ rules from .* \(deleting manageiq\.csv\)$/m);
    expect(r.out).toMatch(/^replayed \d+ recorded decisions on http:\/\/127\.0\.0\.1:\d+: 1 would change$/m);
    expect(r.out).toMatch(/ {2}allow -> deny {2}bob update doc\/d1 {2}\(resource, decision [0-9a-f-]{36}, .*\)\n {6}before: allowed by policies\/resources\.csv:\d+ \(bob → member on project p1\)\n {6}after: {2}no policy allows update on doc for this subject/);
  });

  it('prints every problem of a broken draft and exits 3', async () => {
    const dir = copyPolicies();
    writeFileSync(path.join(dir, 'broken.csv'), 'p, owner\np3, route, other, delete, maybe\n');
    const r = await run(dir);
    expect(r.code).toBe(3);
    expect(r.out.trim().split('\n')).toEqual([
      'policies/broken.csv:1: p rows take 4 values (and an optional condition) after the type, got 1',
      'policies/broken.csv:2: effect must be "allow" or "deny", got "maybe"',
    ]);
  });

  it('exits 2 on bad usage and 1 when the server cannot be asked', async () => {
    const dir = copyPolicies();
    expect((await cli(['policy', 'impact', dir], { env: { PORTCULLIS_TOKEN: ADMIN_TOKEN } })).code).toBe(2);
    expect((await run(dir, [], {})).code).toBe(2);
    expect((await run('/no/such/dir')).code).toBe(2);
    expect((await cli(['policy', 'impact', '--server', t.url], { env: { PORTCULLIS_TOKEN: ADMIN_TOKEN } })).code).toBe(2);
    const refused = await run(dir, ['--token', await t.token('bob', { project: 'p1' })]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/403/);
    const down = await cli(['policy', 'impact', dir, '--server', 'http://127.0.0.1:9'], { env: { PORTCULLIS_TOKEN: ADMIN_TOKEN } });
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9/);
  });
});
