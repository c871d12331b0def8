/** `portcullis policy test [DIR]`: runs the test suites kept beside the policies. */
import path from 'node:path';
import { runSuites } from '../domain/policy-tests/runner.js';
import { findSuites, loadSuite, SUITE_FILE, SuiteError, type LoadedSuite } from '../domain/policy-tests/suite.js';
import { shown } from './paths.js';
import { loadPolicy, reportProblems } from './policy-load.js';
import { EXIT, str, UsageError, type Verb } from './verb.js';

export const policyTest: Verb = {
  name: 'policy test',
  summary: 'run the policy test suites (*.test.yaml) kept beside the policies',
  help: `Usage: portcullis policy test [DIR] [--model FILE] [--coverage]

Runs every test suite in DIR (<name>.test.yaml, .test.yml or .test.json) against the policy in
DIR, with no server and no database: each suite declares principals with roles in scopes, groups
and their grants, resources with project, owner, group, attributes and locks, and the expected
allow/deny of each principal x resource x action (unlisted combinations: deny) and of API
permissions (p2). Failures print with the decision's explanation. A policy file without a suite
of the same name (resources.csv -> resources.test.yaml) is reported.

  DIR            policy directory (default: $PORTCULLIS_POLICY_DIR, else ./policies)
  --model FILE   Casbin model (default: $PORTCULLIS_MODEL, else ./model.conf, else the one
                 shipped with Portcullis)
  --coverage     also list the rows that decided no check

Exit status: 0 every test passed, 4 a test failed, 3 the policy does not load, 2 bad usage or
an unreadable suite.
`,
  options: { model: { type: 'string' }, coverage: { type: 'boolean' } },
  maxPositionals: 1,
  async run(args, io) {
    const loaded = await loadPolicy(io, args.positionals[0], str(args, 'model'));
    if (reportProblems(io, loaded)) return EXIT.invalidPolicy;
    const files = await findSuites(loaded.dir);
    if (!files.length) throw new UsageError(`no test suites (*.test.yaml, *.test.yml, *.test.json) in ${shown(io, loaded.dir)}`);
    const suites: LoadedSuite[] = [];
    try {
      for (const f of files) suites.push(await loadSuite(f, shown(io, f)));
    } catch (err) {
      if (err instanceof SuiteError) throw new UsageError(err.message);
      throw err;
    }
    const { suites: results, decidedBy } = await runSuites(loaded.modelText, loaded.check.rules, suites);
    let tests = 0;
    let checks = 0;
    let failed = 0;
    for (const s of results) {
      io.out(`${s.file}: ${s.name}\n`);
      for (const t of s.tests) {
        tests++;
        checks += t.checks;
        if (t.failures.length) failed++;
        io.out(`  ${t.failures.length ? 'FAIL' : 'ok  '}  ${t.name} (${t.checks} checks)\n`);
        for (const f of t.failures) io.out(`        ${f.check}: expected ${f.expected}, got ${f.got}: ${f.explanation}\n`);
      }
    }
    const tested = new Set(files.map((f) => path.basename(f).replace(SUITE_FILE, '')));
    for (const file of loaded.check.files) {
      if (!tested.has(file.replace(/\.csv$/, ''))) io.out(`note: ${shown(io, path.join(loaded.dir, file))} has no suite (${file.replace(/\.csv$/, '.test.yaml')})\n`);
    }
    if (args.values.coverage) {
      const undecided = loaded.check.rules.filter((r) => !decidedBy.has(r.source));
      io.out(`rows that decided no check: ${undecided.length} of ${loaded.check.rules.length}\n`);
      for (const r of undecided) io.out(`  ${r.source}: ${r.ptype}, ${r.values.join(', ')}\n`);
    }
    io.out(`${results.length} suites, ${tests} tests, ${checks} checks: ${failed ? `${failed} tests FAILED` : 'all passed'}\n`);
    return failed ? EXIT.testFailed : EXIT.ok;
  },
};
