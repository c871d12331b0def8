import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProject, addUser, grantRole } from '../../helpers/seed.js';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../../helpers/test-app.js';

const POLICIES = path.resolve(import.meta.dirname, '../../../policies');

function shadowDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-shadow-'));
  cpSync(POLICIES, dir, { recursive: true });
  const file = path.join(dir, 'resources.csv');
  writeFileSync(file, `${readFileSync(file, 'utf8').replace(/^p, role:member, \*, update, allow$/m, '# members no longer update')}p, role:member, doc, share, allow\n`);
  rmSync(path.join(dir, 'identity.csv'));
  return dir;
}

const ask = (subject: string, action: string) => ({ subject: { type: 'user', id: subject }, action: { name: action }, resource: { type: 'doc', id: 'd1' } });

describe('shadow policy (PORTCULLIS_SHADOW_POLICY_DIR)', () => {
  let t: TestApp;
  let dir: string;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    dir = shadowDir();
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    t = await startTestApp({ PORTCULLIS_SHADOW_POLICY_DIR: dir, PORTCULLIS_POLICY_WATCH: 'true' }, { log });
    await addProject(t, 'p1');
    await addUser(t, 'bob');
    await grantRole(t, { user: 'bob' }, 'member', { project: 'p1' });
    await t.request('PUT', '/v1/resources/doc/d1', { body: { project_id: 'p1' } });
  });
  afterAll(async () => t.close());

  it('decides everything again without changing any answer, and records both', async () => {
    const update = await t.request('POST', '/access/v1/evaluation', { body: ask('bob', 'update') });
    expect(update.body.decision).toBe(true); // the live answer
    const share = await t.request('POST', '/access/v1/evaluation', { body: ask('bob', 'share') });
    expect(share.body.decision).toBe(false);
    const read = await t.request('POST', '/access/v1/evaluation', { body: ask('bob', 'read') });
    expect(read.body.decision).toBe(true);

    const disagree = (await t.request('GET', '/v1/decisions?shadow=disagree&kind=resource')).body.decisions;
    expect(disagree.map((d: { id: string }) => d.id).sort()).toEqual([update.body.context.decision_id, share.body.context.decision_id].sort());
    const upd = disagree.find((d: { id: string }) => d.id === update.body.context.decision_id);
    expect(upd).toMatchObject({ decision: 'allow', shadow: { decision: 'deny', reason: 'no policy allows update on doc for this subject', policy: null, agrees: false } });
    const shr = disagree.find((d: { id: string }) => d.id === share.body.context.decision_id);
    expect(shr.shadow).toMatchObject({ decision: 'allow', agrees: false, policy: { source: expect.stringMatching(/^shadow\/resources\.csv:\d+$/), rule: ['p', 'role:member', 'doc', 'share', 'allow'] } });
    const agree = (await t.request('GET', '/v1/decisions?shadow=agree&action=read')).body.decisions;
    expect(agree.map((d: { id: string }) => d.id)).toEqual([read.body.context.decision_id]);
  });

  it('logs each disagreement with both explanations and counts it in /metrics', async () => {
    const line = lines.find((l) => l.msg === 'shadow policy disagrees' && l.action === 'share');
    expect(line).toMatchObject({
      subject: 'bob',
      resource: 'doc/d1',
      live: { decision: 'deny', reason: 'no policy allows share on doc for this subject' },
      shadow: { decision: 'allow', reason: expect.stringMatching(/^allowed by shadow\/resources\.csv:\d+ \(bob → member on project p1\)$/) },
    });
    expect(line!.decisionId).toMatch(/^[0-9a-f-]{36}$/);
    const metrics = (await t.request('GET', '/metrics', { token: null })).text;
    expect(metrics).toMatch(/^portcullis_shadow_decisions_total\{kind="resource",outcome="disagree"\} 2$/m);
    expect(metrics).toMatch(/^portcullis_shadow_decisions_total\{kind="resource",outcome="agree"\} [1-9]\d*$/m);
  });

  it('shadows permission checks too', async () => {
    await t.request('GET', '/identity/v3/roles', { token: null, headers: { 'X-Auth-Token': ADMIN_TOKEN, 'X-Request-Id': 'req-shadow-roles' } });
    const [check] = (await t.request('GET', '/v1/decisions?request_id=req-shadow-roles')).body.decisions;
    expect(check).toMatchObject({ kind: 'permission', decision: 'allow', shadow: { decision: 'deny', agrees: false } });
  });

  it('shows its status in GET /v1/policy and reloads when its directory changes', async () => {
    const status = (await t.request('GET', '/v1/policy')).body.shadow;
    expect(status).toMatchObject({ dir, version: 1, lastError: null });
    appendFileSync(path.join(dir, 'resources.csv'), 'p, role:member, doc, update, allow\n');
    const started = Date.now();
    let shadowSays = 'deny';
    while (shadowSays === 'deny' && Date.now() - started < 3000) {
      await new Promise((r) => setTimeout(r, 100));
      const res = await t.request('POST', '/access/v1/evaluation', { body: ask('bob', 'update') });
      shadowSays = (await t.request('GET', `/v1/decisions?request_id=${res.headers.get('x-request-id')}&kind=resource`)).body.decisions[0].shadow.decision;
    }
    expect(shadowSays).toBe('allow');
    expect((await t.request('GET', '/v1/policy')).body.shadow.version).toBeGreaterThan(1);
  });
});

describe('a shadow policy that does not load', () => {
  it('leaves the server running, answers unchanged and unshadowed, and says why', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-shadow-bad-'));
    writeFileSync(path.join(dir, 'bad.csv'), 'p, owner, *, read\n');
    const t = await startTestApp({ PORTCULLIS_SHADOW_POLICY_DIR: dir });
    try {
      const res = await t.request('POST', '/access/v1/evaluation', { body: ask('admin', 'read') });
      expect(res.body.decision).toBe(true);
      const [d] = (await t.request('GET', '/v1/decisions?kind=resource')).body.decisions;
      expect(d.shadow).toBeUndefined();
      const status = (await t.request('GET', '/v1/policy')).body.shadow;
      expect(status.version).toBe(0);
      expect(status.lastError.message).toMatch(/shadow\/bad\.csv:1: p rows take 4 values/);
    } finally {
      await t.close();
    }
  });
});
