import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, copyPolicies, REPO } from './run-cli.js';

describe('portcullis policy check', () => {
  it('accepts the shipped policy (exit 0) and says what it loaded', async () => {
    const r = await cli(['policy', 'check']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ok: 8 files, \d+ rules in policies \(model model\.conf\)/);
  });

  it('prints every problem as file:line: message and exits 3', async () => {
    const dir = copyPolicies();
    writeFileSync(
      path.join(dir, 'zz-draft.csv'),
      [
        '# a draft with four mistakes',
        'p, role:reader, *, read',
        'p, role:reader, *, read, perhaps',
        'p2, *, x:y, "r2.obj.a ==", allow',
        'g, alice, admin',
        'p, owner, *, read, allow',
      ].join('\n'),
    );
    const r = await cli(['policy', 'check', dir]);
    expect(r.code).toBe(3);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/zz-draft\.csv:2: p rows take 4 values \(and an optional condition\) after the type, got 3$/);
    expect(lines[1]).toMatch(/zz-draft\.csv:3: effect must be "allow" or "deny", got "perhaps"$/);
    expect(lines[2]).toMatch(/zz-draft\.csv:4: invalid condition: /);
    expect(lines[3]).toMatch(/zz-draft\.csv:5: unknown policy type "g"/);
    expect(r.err).toMatch(/4 problems in /);
  });

  it('uses the model given with --model, and reports a model that cannot take the rows', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-model-'));
    const model = path.join(dir, 'model.conf');
    writeFileSync(model, '[request_definition]\nr = sub, obj, act\n[policy_definition]\np = sub, obj, act, eft\n[policy_effect]\ne = some(where (p.eft == allow))\n[matchers]\nm = r.sub == p.sub\n');
    const r = await cli(['policy', 'check', path.join(REPO, 'policies'), '--model', model]);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/the model does not load these rows/);
  });

  it('names the directory relative to the working directory', async () => {
    const dir = copyPolicies();
    appendFileSync(path.join(dir, 'resources.csv'), 'p, owner, *\n');
    const r = await cli(['policy', 'check', '.'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^resources\.csv:\d+: p rows take 4 values/m);
  });

  it('exits 2 on bad usage', async () => {
    expect((await cli(['policy', 'check', '/no/such/dir'])).code).toBe(2);
    expect((await cli(['policy', 'check', 'a', 'b'])).code).toBe(2);
    const unknown = await cli(['policy', 'check', '--modle', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/Unknown option '--modle'[\s\S]*--help/);
    expect((await cli(['policy', 'check', '--model', '/no/such/model.conf'])).code).toBe(2);
  });
});
