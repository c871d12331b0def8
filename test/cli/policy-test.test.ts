import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, copyPolicies, REPO } from './run-cli.js';

describe('portcullis policy test', () => {
  it('passes every shipped suite, and every shipped policy file has one', async () => {
    const r = await cli(['policy', 'test']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/FAIL|has no suite/);
    const csv = readdirSync(path.join(REPO, 'policies')).filter((f) => f.endsWith('.csv'));
    for (const f of csv) expect(r.out).toContain(`policies/${f.replace(/\.csv$/, '.test.yaml')}:`);
    expect(r.out).toMatch(/^8 suites, \d+ tests, \d+ checks: all passed$/m);
  });

  it('fails (exit 4) when an edit breaks an expectation, with the decision that broke it', async () => {
    const dir = copyPolicies();
    const file = path.join(dir, 'resources.csv');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^p, owner, \*, update, allow$/m, '# owners no longer update'));
    const r = await cli(['policy', 'test', dir]);
    expect(r.code).toBe(4);
    expect(r.out).toMatch(/FAIL {2}owners read, update and delete what they own, without any role/);
    expect(r.out).toMatch(/olga update document\/1 \(doc\): expected allow, got deny: no policy allows update on document for this subject/);
    expect(r.out).toMatch(/1 tests FAILED$/m);
  });

  it('explains an unexpected allow with the row and role path that allowed it', async () => {
    const dir = copyPolicies();
    appendFileSync(path.join(dir, 'resources.csv'), 'p, role:reader, document, delete, allow\n');
    const r = await cli(['policy', 'test', dir]);
    expect(r.code).toBe(4);
    expect(r.out).toMatch(
      /rita delete document\/1 \(doc\): expected deny, got allow: allowed by \S+resources\.csv:\d+ \(rita → reader on project sales\); row: p, role:reader, document, delete, allow/,
    );
  });

  it('reports a policy file without a suite, and lists undecided rows with --coverage', async () => {
    const dir = copyPolicies();
    writeFileSync(path.join(dir, 'extra.csv'), 'p, role:reader, gadget, inspect, allow\n');
    const r = await cli(['policy', 'test', dir, '--coverage']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/note: \S*extra\.csv has no suite \(extra\.test\.yaml\)/);
    expect(r.out).toMatch(/rows that decided no check: \d+ of \d+/);
    expect(r.out).toMatch(/extra\.csv:1: p, role:reader, gadget, inspect, allow/);
  });

  it('exits 3 when the policy does not load, before running anything', async () => {
    const dir = copyPolicies();
    appendFileSync(path.join(dir, 'resources.csv'), 'p, owner, *, read, maybe\n');
    const r = await cli(['policy', 'test', dir]);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/resources\.csv:\d+: effect must be "allow" or "deny"/);
  });

  it('exits 2 on a malformed suite, naming the file and the field', async () => {
    const dir = copyPolicies();
    writeFileSync(
      path.join(dir, 'broken.test.yaml'),
      'name: broken\nprincipals: {a: {roles: [{role: reader}]}}\ntests: [{name: t, input: {principals: [b], resources: [r], actions: [read]}}]\n',
    );
    const r = await cli(['policy', 'test', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/broken\.test\.yaml: principals\.a\.roles\.0: a role is held on exactly one of project, domain or system/);
    writeFileSync(
      path.join(dir, 'broken.test.yaml'),
      'name: broken\nprincipals: {a: {}}\ntests: [{name: t, input: {principals: [a, b], resources: [r], actions: [read]}}]\n',
    );
    const refs = await cli(['policy', 'test', dir]);
    expect(refs.code).toBe(2);
    expect(refs.err).toMatch(/unknown principal "b"; .*unknown resource "r"/);
    writeFileSync(path.join(dir, 'broken.test.yaml'), 'name: [unclosed\n');
    expect((await cli(['policy', 'test', dir])).code).toBe(2);
  });

  it('runs from another working directory, naming files relative to it', async () => {
    const dir = copyPolicies();
    const r = await cli(['policy', 'test', '.'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^resources\.test\.yaml: registered resources/m);
  });

  it('reads JSON suites as well', async () => {
    const dir = copyPolicies();
    writeFileSync(
      path.join(dir, 'json.test.json'),
      JSON.stringify({
        name: 'json suite',
        principals: { amy: { roles: [{ role: 'admin', system: true }] } },
        permissions: [{ name: 'admin manages policy', principal: 'amy', expected: { 'policy:write': 'allow' } }],
      }),
    );
    const r = await cli(['policy', 'test', dir]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/json\.test\.json: json suite\n {2}ok {4}admin manages policy \(1 checks\)/);
  });

  it('gives conditions on p rows the subject, action and resource properties and the context', async () => {
    const dir = copyPolicies();
    writeFileSync(
      path.join(dir, 'records.csv'),
      [
        `p, *, record, write, allow, "r.sub.properties.role == 'clerk' && r.obj.properties.status != 'archived'"`,
        `p, *, record, write, deny, "r.ctx.network == 'external'"`,
        `p, *, record, approve, allow, "r.act.properties.amount < 100"`,
      ].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'records.test.yaml'),
      [
        'name: records',
        'principals: {kim: {properties: {role: clerk}}, lou: {type: identity, properties: {role: visitor}}}',
        'resources: {open: {type: record, id: 1, attributes: {status: open}}, old: {type: record, id: 2, attributes: {status: archived}}}',
        'tests:',
        '  - name: clerks write records that are not archived',
        '    input: {principals: [kim, lou], resources: [open, old], actions: [write]}',
        '    expected: [{principal: kim, resource: open, actions: {write: allow}}]',
        '  - name: nobody writes from outside',
        '    context: {network: external}',
        '    input: {principals: [kim], resources: [open], actions: [write]}',
        '  - name: small approvals',
        '    action_properties: {amount: 50}',
        '    input: {principals: [lou], resources: [open], actions: [approve]}',
        '    expected: [{principal: lou, resource: open, actions: {approve: allow}}]',
      ].join('\n'),
    );
    const r = await cli(['policy', 'test', dir]);
    expect(r.out).toMatch(/records\.test\.yaml: records\n {2}ok {4}clerks write records that are not archived \(4 checks\)\n {2}ok {4}nobody writes from outside \(1 checks\)\n {2}ok {4}small approvals \(1 checks\)/);
    expect(r.code).toBe(0);
  });
});
