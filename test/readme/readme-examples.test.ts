/**
 * The README's examples run as written, from a fresh start (conventions: docs/contributing.md,
 * "README examples are tests"). The test starts the server as the README's `readme-test: server`
 * block does (`npm start`: compiled, a fresh in-memory store, or a fresh database when the run has
 * MONGODB_URI; a free port instead of 8080), takes the admin token it prints as `ADMIN`, then runs
 * each section's shell blocks in README order, one bash session per section, against that one
 * server (runner.ts); a section with a server block of its own runs against that server instead
 * (started from its block, stopped after it). Every curl request must answer below 400 unless a comment after it shows its
 * status (`# 409 ...`); every command must succeed unless a comment shows its exit status
 * (`# exit 3`); a body shown in a comment, or in a ```json block right after the block, must match
 * what was printed (json-match.ts). Blocks marked `readme-test: skip (reason)` are listed, not run.
 * A last test feeds the checker a small README with known faults, to show it catches them.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VENV, venvReady } from '../clients/harness.js';
import { dropDatabase, freshDbName, MONGODB_URI } from '../helpers/mongo-env.js';
import { npmStart, REPO_ROOT, type StartedServer } from '../process/npm-start.js';
import { readSections, serverEnv, type Block } from './readme-doc.js';
import { problemsOf, runSection, type SectionRun } from './runner.js';

const README = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const SECTION_TIMEOUT_MS = 180_000;

const sections = readSections(README);
const blocks = sections.flatMap((s) => s.blocks);
const serverBlocks = blocks.filter((b) => b.server);
/** The first server block starts the server every section runs against, unless it has a server block of its own. */
const mainServer = serverBlocks[0];

/** Blocks that run `openstack` need the stock clients venv (test/clients/setup.sh; CI installs it). */
const usesOpenstack = (b: Block) => b.code.some((l) => /(^|[\s;|&(])openstack\s/.test(l.replace(/^\s*#.*$/, '')));
const CLIENTS_MESSAGE = `the Python clients venv (${VENV}) is not installed: run test/clients/setup.sh (CI runs it before the tests)`;
/** Blocks left out because they, or an earlier block of their section, need the missing clients: why. */
const notRun = new Map<number, string>();
for (const section of sections) {
  const missing = venvReady ? undefined : section.blocks.find((b) => !b.skip && usesOpenstack(b));
  if (missing) for (const b of section.blocks.filter((x) => x.line >= missing.line)) notRun.set(b.line, `needs openstack (README line ${missing.line}): ${CLIENTS_MESSAGE}`);
}
/** The blocks this run executes. */
const runnable = blocks.filter((b) => !b.skip && b !== mainServer && !notRun.has(b.line));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

/** Untracked files in the repository (the examples must not leave any). */
function untracked(): string[] {
  const r = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: REPO_ROOT, encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l.startsWith('?? '));
}

/** The shell of a reader who set ADMIN after starting the server: nothing of the test's own environment. */
function readerEnv(admin: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(npm_|VITEST|PORTCULLIS_|MONGODB_|OS_|NODE_OPTIONS$|TEST$)/.test(k)),
  );
  return { ...env, ADMIN: admin, PATH: venvReady ? `${path.join(VENV, 'bin')}:${process.env.PATH}` : process.env.PATH };
}

describe('README examples', () => {
  const runs = new Map<number, SectionRun>();
  let server: StartedServer | undefined;
  let env: NodeJS.ProcessEnv = {};
  let origin = '';
  let dbName: string | undefined;
  let leftBehind: string[] = [];

  beforeAll(async () => {
    const tools = spawnSync('bash', ['-c', 'command -v curl && command -v jq'], { encoding: 'utf8' });
    if (tools.status !== 0) throw new Error('the README examples need curl and jq on PATH (Debian: apt-get install curl jq; .ci/run installs them)');
    if (!mainServer) throw new Error('README must mark the block that starts the server: <!-- readme-test: server -->');
    dbName = MONGODB_URI ? freshDbName('readme') : undefined;
    // As a newcomer starts it: no admin token given, so one is generated and printed.
    server = await npmStart({
      ...serverEnv(mainServer),
      PORTCULLIS_ADMIN_TOKEN: undefined,
      PORTCULLIS_POLICY_WATCH: undefined,
      ...(dbName ? { MONGODB_DB: dbName } : {}),
    });
    const deadline = Date.now() + 10_000;
    let printed: RegExpExecArray | null = null;
    while (!(printed = /Admin token[^\n]*\n\s+(\S+)/.exec(server.output())) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (!printed) throw new Error(`npm start printed no admin token:\n${server.output()}`);
    env = readerEnv(printed[1]!);
    origin = server.url.replace(/^http:\/\//, '');
    const before = new Set(untracked());
    for (const section of sections) {
      const run = section.blocks.filter((b) => runnable.includes(b));
      if (run.length === 0) continue;
      const serverPort = run.some((b) => b.server) ? await freePort() : undefined;
      const result = await runSection({ text: README, blocks: run, cwd: REPO_ROOT, env, origin, serverPort, timeoutMs: SECTION_TIMEOUT_MS });
      for (const b of run) runs.set(b.line, result);
    }
    leftBehind = untracked().filter((f) => !before.has(f));
    // Reported below, and removed so that the next run reports them again.
    for (const f of leftBehind) rmSync(path.join(REPO_ROOT, f.slice(3)), { force: true });
  }, 900_000);

  afterAll(async () => {
    server?.kill();
    if (dbName && MONGODB_URI) await dropDatabase(MONGODB_URI, dbName);
  });

  it(`starts the server as README line ${mainServer?.line} does, and lists the blocks it leaves out`, () => {
    const skipped = blocks.filter((b) => b.skip);
    const checked = (b: Block) => b.comments.filter((c) => c.status !== undefined || c.body !== undefined || c.exit !== undefined).length;
    console.log(
      `README examples: ${runnable.length} blocks run (${runnable.filter((b) => b.shown).length} with a JSON output block, ` +
        `${runnable.reduce((n, b) => n + checked(b), 0)} responses shown in comments); ${skipped.length} skipped:\n` +
        skipped.map((b) => `  README line ${b.line} (${b.section}): ${b.skip}`).join('\n'),
    );
    expect(server?.pid).toBeGreaterThan(0);
    expect(runnable.length).toBeGreaterThan(10);
  });

  // Without the clients CI fails; elsewhere the blocks that need them are skipped, saying why.
  for (const [line, why] of notRun) {
    if (process.env.CI === 'true') it(`README line ${line} runs as written`, () => expect.fail(why));
    else {
      console.warn(`*** README line ${line} not run: ${why} ***`);
      it.skip(`README line ${line} runs as written (${why})`, () => undefined);
    }
  }

  it.each(runnable.map((b) => [b.line, b.section, b] as const))('README line %i (%s) runs as written', (line, _section, b) => {
    const run = runs.get(line);
    expect(run, 'the section ran').toBeDefined();
    expect(problemsOf(b, run!)).toEqual([]);
  });

  it('leaves no file in the repository', () => {
    expect(leftBehind).toEqual([]);
  });

  it('catches a request that fails, a wrong status or body, a failing command and an unset variable', async () => {
    const faulty = [
      '# Faulty',
      '',
      '```sh',
      'curl -s http://127.0.0.1:8080/v1/resources/nothing/here -H "Authorization: Bearer $ADMIN"',
      'curl -s -X POST http://127.0.0.1:8080/identity/v3/roles -H "X-Auth-Token: $ADMIN" -H "Content-Type: application/json" -d \'{"role":{"name":"checker-role"}}\'',
      '# 200 {"role":{"id":"0123456789abcdef0123456789abcdef","name":"another-name","...":"..."}}',
      'false',
      'ls /nonexistent-dir # exit 2',
      '```',
      '```sh',
      'curl -s http://127.0.0.1:8080/v1/resources/nothing/here -H "Authorization: Bearer $ADMIN"   # 404',
      'echo "$NEVER_SET"',
      'echo not reached',
      '```',
      '```sh',
      'echo unreachable',
      '```',
      '```json',
      '{"never": "printed"}',
      '```',
    ].join('\n');
    const [section] = readSections(faulty);
    const run = await runSection({ text: faulty, blocks: section!.blocks, cwd: REPO_ROOT, env, origin, timeoutMs: 60_000 });
    const [first, second, third] = section!.blocks.map((b) => problemsOf(b, run).join('\n'));
    expect(first).toMatch(/line 4: answered 404, and no comment/);
    expect(first).toMatch(/line 5: answered 201, the README shows 200/);
    expect(first).toMatch(/\$\.role\.name: shown "another-name", printed "checker-role"/);
    expect(first).toMatch(/line 7: a command failed \(exit 1\)/);
    expect(first).not.toMatch(/line 8/);
    expect(second).toMatch(/did not finish[\s\S]*line 12: NEVER_SET: unbound variable/);
    expect(third).toMatch(/line 15: never ran/);
  });

  it('runs a section with a server block of its own against that server, and stops it', async () => {
    const own = [
      '# Own server',
      '',
      '<!-- readme-test: server -->',
      '```sh',
      'D=$(mktemp -d) && cp policies/*.csv $D',
      'PORTCULLIS_ADMIN_TOKEN=own-server-token-0123456789 PORTCULLIS_POLICY_DIR=$D npm start   # a note',
      '```',
      '```sh',
      'curl -s http://127.0.0.1:8080/v1/policy -H "Authorization: Bearer own-server-token-0123456789" | jq -c "{files: (.policy.files | length > 0)}"',
      '```',
      '```json',
      '{"files": true}',
      '```',
    ].join('\n');
    const [section] = readSections(own);
    const serverPort = await freePort();
    const run = await runSection({ text: own, blocks: section!.blocks, cwd: REPO_ROOT, env, origin, serverPort, timeoutMs: 120_000 });
    expect(section!.blocks.flatMap((b) => problemsOf(b, run))).toEqual([]);
    await expect(fetch(`http://127.0.0.1:${serverPort}/healthz`)).rejects.toThrow();
  });
});
