/**
 * /v1/policy/files: the policy files as text, and applying an edit of one: checked like a reload
 * (refused whole, with every problem), conditional on the sha256 it started from, written, and in
 * force at once. Runs on a copy of policies/.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, grantSystemRole, register } from '../../helpers/directory-fixtures.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

const REPO = path.resolve(import.meta.dirname, '../../..');
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('/v1/policy/files', () => {
  let t: TestApp;
  let dir: string;
  let reader: string;
  const file = (name: string) => readFileSync(path.join(dir, name), 'utf8');
  const mayOwnerUpdate = async () =>
    (
      await t.request('POST', '/access/v1/evaluation', {
        body: { subject: { type: 'user', id: 'olga' }, action: { name: 'update' }, resource: { type: 'doc', id: 'd1' } },
      })
    ).body.decision;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'portcullis-policy-files-'));
    cpSync(path.join(REPO, 'policies'), dir, { recursive: true });
    t = await startTestApp({ PORTCULLIS_POLICY_DIR: dir });
    await addUser(t, { id: 'rex' });
    await grantSystemRole(t, 'rex', 'reader');
    reader = await t.token('rex', { system: true });
    await register(t, 'doc', 'd1', { owner: 'olga' });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every file with its sha256 and the rows of it in force', async () => {
    const res = await t.request('GET', '/v1/policy/files', { token: reader });
    expect(res.status).toBe(200);
    const names = readdirSync(dir).filter((n) => n.endsWith('.csv')).sort();
    expect(res.body.files.map((f: { name: string }) => f.name)).toEqual(names);
    const resources = res.body.files.find((f: { name: string }) => f.name === 'resources.csv');
    expect(resources).toMatchObject({ sha256: sha(file('resources.csv')), bytes: Buffer.byteLength(file('resources.csv')), error: null });
    const rules = (await t.request('GET', '/v1/policy')).body.rules.filter((r: { source: string }) => r.source.startsWith('policies/resources.csv:'));
    expect(resources.rules).toBe(rules.length);
  });

  it('shows a file as text; refuses names that are not policy files', async () => {
    const res = await t.request('GET', '/v1/policy/files/resources.csv', { token: reader });
    expect(res.body.file).toEqual({ name: 'resources.csv', sha256: sha(file('resources.csv')), content: file('resources.csv') });
    expect((await t.request('GET', '/v1/policy/files/nothing.csv')).status).toBe(404);
    for (const name of ['..%2Fmodel.conf', 'model.conf', '.hidden.csv']) expect((await t.request('GET', `/v1/policy/files/${name}`)).status, name).toBe(400);
  });

  it('checks a draft: whether it loads, and every problem as data', async () => {
    const text = file('resources.csv');
    const broken = await t.request('POST', '/v1/policy/check', { token: reader, body: { files: { 'resources.csv': `${text}p, owner, *, update, perhaps\n` } } });
    expect(broken.status).toBe(200);
    expect(broken.body.loads).toBe(false);
    expect(broken.body.problems).toEqual([expect.stringMatching(/^policies\/resources\.csv:\d+: .*perhaps/)]);
    const fine = await t.request('POST', '/v1/policy/check', { body: { files: { 'resources.csv': text, 'old.csv': '' } } });
    expect(fine.body).toMatchObject({ loads: true, problems: [] });
    expect(fine.body.files).toContain('resources.csv');
    expect((await t.request('POST', '/v1/policy/check', { body: { files: { '../x.csv': 'p' } } })).status).toBe(400);
  });

  it('refuses a draft that does not load with every problem, and writes nothing', async () => {
    const before = file('resources.csv');
    const res = await t.request('PUT', '/v1/policy/files/resources.csv', {
      body: { content: `${before}p, owner, *, update, perhaps\np, owner, *, read\n` },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.problems).toHaveLength(2);
    expect(res.body.error.problems[0]).toMatch(/^policies\/resources\.csv:\d+: /);
    expect(file('resources.csv')).toBe(before);
    expect((await t.request('PUT', '/v1/policy/files/resources.csv', { body: { content: '  \n' } })).status).toBe(400);
  });

  it('applies a valid edit: written, reloaded, in force at once', async () => {
    expect(await mayOwnerUpdate()).toBe(true);
    const before = file('resources.csv');
    const { version } = (await t.request('GET', '/v1/policy')).body.policy;
    const content = before.replace('p, owner, *, update, allow', '# owners no longer update');
    const res = await t.request('PUT', '/v1/policy/files/resources.csv', { body: { content, sha256: sha(before) } });
    expect(res.status).toBe(200);
    expect(res.body.file).toEqual({ name: 'resources.csv', sha256: sha(content), bytes: Buffer.byteLength(content), created: false });
    expect(res.body.policy.version).toBeGreaterThan(version);
    expect(file('resources.csv')).toBe(content);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(await mayOwnerUpdate()).toBe(false);
  });

  it('refuses an edit of a file that changed since it was read (409), and keeps the newer text', async () => {
    const current = file('resources.csv');
    const res = await t.request('PUT', '/v1/policy/files/resources.csv', {
      body: { content: `${current}# another edit\n`, sha256: sha('what the editor started from\n') },
    });
    expect(res.status).toBe(409);
    expect(file('resources.csv')).toBe(current);
  });

  it('creates a new file (201)', async () => {
    const res = await t.request('PUT', '/v1/policy/files/zz-extra.csv', { body: { content: 'p, owner, *, update, allow\n', sha256: sha('') } });
    expect(res.status).toBe(201);
    expect(existsSync(path.join(dir, 'zz-extra.csv'))).toBe(true);
    expect(await mayOwnerUpdate()).toBe(true);
    expect((await t.request('GET', '/v1/policy')).body.policy.files).toContain('zz-extra.csv');
  });

  it('shows the last reload error on the file it was in, while the policy before stays in force', async () => {
    const good = file('trafficops.csv');
    writeFileSync(path.join(dir, 'trafficops.csv'), `${good}p, role:admin, cdn, snap, perhaps\n`);
    try {
      expect((await t.request('POST', '/v1/policy/reload')).status).toBe(400);
      const files = (await t.request('GET', '/v1/policy/files', { token: reader })).body.files as { name: string; error: string | null }[];
      expect(files.find((f) => f.name === 'trafficops.csv')?.error).toMatch(/policies\/trafficops\.csv:\d+: .*perhaps/);
      expect(files.filter((f) => f.error !== null).map((f) => f.name)).toEqual(['trafficops.csv']);
      expect((await t.request('GET', '/v1/policy')).body.policy.lastError.message).toContain('trafficops.csv');
    } finally {
      writeFileSync(path.join(dir, 'trafficops.csv'), good);
    }
    expect((await t.request('POST', '/v1/policy/reload')).status).toBe(200);
    expect((await t.request('GET', '/v1/policy/files')).body.files.every((f: { error: string | null }) => f.error === null)).toBe(true);
  });

  it('needs policy:write to apply and policy:read to read', async () => {
    expect((await t.request('PUT', '/v1/policy/files/resources.csv', { token: reader, body: { content: '# x\n' } })).status).toBe(403);
    await addUser(t, { id: 'nobody' });
    const none = await t.token('nobody', { system: true });
    expect((await t.request('GET', '/v1/policy/files', { token: none })).status).toBe(403);
    expect((await t.request('GET', '/v1/policy/files/resources.csv', { token: none })).status).toBe(403);
  });
});
