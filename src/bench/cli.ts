/**
 * `npm run bench [-- --size S|M|L] [--quick] [--json] [--seed N] [--tsx] [--store memory|mongodb]` (`--render <results.json>` re-prints a table): builds the seeded dataset,
 * checks every request against the oracle (in process and over HTTP; any difference exits 1
 * before anything is timed), then measures in-process decision cost, the HTTP workloads against
 * a bench server in its own process, the no-op physical limit, search, cold start and RSS.
 * Prints a table; `--json` also writes `.bench/results.json`. The table is kept in `.bench/latest.md`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { renderMongoTable, runMongoBench } from './bench-mongo.js';
import { buildOracle, buildPortcullis } from './build.js';
import type { SizeName } from './dataset-types.js';
import { DEFAULT_SEED } from './dataset.js';
import { measureLoads, measureRatios } from './http-load.js';
import { measureInProcess, verifyInProcess } from './in-process.js';
import { measureJournalCost } from './journal-cost.js';
import { load1, machine, renderTable, targets, type BenchResults } from './report.js';
import { makeQuestions } from './requests.js';
import { measureSearch } from './search-workload.js';
import { hasTaskset, startServer } from './server-process.js';
import { loadSpecs, setNoopAnswers, verifyHttp, verifyWriteVisibility } from './workloads.js';

const TOKEN = 'bench-admin-token-0123456789abcdef';
const SERVER_LOG_LEVEL = 'warn';

function say(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

function fail(what: string, wrong: readonly string[]): never {
  say(`${wrong.length} answer(s) differ from the oracle (${what}); nothing was timed:`);
  for (const w of wrong.slice(0, 20)) say(`  ${w}`);
  process.exit(1);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'M' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      render: { type: 'string' },
      tsx: { type: 'boolean', default: false },
      store: { type: 'string', default: 'memory' },
    },
  });
  if (values.render) {
    // Re-print the table of an earlier `--json` run (e.g. for the README).
    process.stdout.write(`${renderTable(JSON.parse(readFileSync(values.render, 'utf8')) as BenchResults)}\n`);
    return;
  }
  const loadAvgStart = load1();
  const size = values.size!.toUpperCase() as SizeName;
  if (!['S', 'M', 'L'].includes(size)) throw new Error(`--size must be S, M or L (got ${values.size})`);
  const seed = Number(values.seed);
  const quick = values.quick!;
  const timing = quick ? { warmSec: 1, runSec: 2, runs: 1 } : { warmSec: 2, runSec: 5, runs: 5 };
  // The decision / no-op ratio's own rounds of short runs side by side, on 32 connections kept
  // open (http-load.ts measureRatios): 400 rounds of 0.1 s runs, the time 40 rounds of 1 s took.
  const ratioTiming = quick ? { runSec: 0.1, rounds: 20, connections: 32 } : { runSec: 0.1, rounds: 400, connections: 32 };

  // Load generator (this process) and server on different cores when possible.
  const pin = hasTaskset() && cpus().length >= 2;
  if (pin) spawnSync('taskset', ['-p', '-c', '1', String(process.pid)]);
  const pinned = pin ? 'server pinned to core 0, load generator to core 1 (taskset)' : 'not pinned (taskset or a 2nd core missing)';

  say(`dataset ${size}, seed ${seed}${quick ? ', quick' : ''}`);
  const { ds, oracle } = buildOracle(size, seed);
  const count = quick ? 1000 : 2000;
  const zipf = makeQuestions(ds, oracle, count, 'zipf', seed + 1);
  const uniform = makeQuestions(ds, oracle, count, 'uniform', seed + 2);
  for (const f of ds.featured) if (oracle.decide(f.subject, f.action, f.type, f.id) !== f.expected) fail('planted case', [f.name]);

  if (values.store === 'mongodb') {
    const r = await runMongoBench({ ds, questions: zipf, size, seed, quick, token: TOKEN, logLevel: SERVER_LOG_LEVEL, pin, say });
    const sizes = `${ds.grants.length.toLocaleString('en-US')} grants, ${ds.resources.length.toLocaleString('en-US')} resources, ${ds.users.length.toLocaleString('en-US')} users`;
    const table = renderMongoTable(r, size, sizes);
    process.stdout.write(`${table}\n`);
    const dir = path.resolve('.bench');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'latest-mongodb.md'), `${table}\n`);
    if (values.json) writeFileSync(path.join(dir, 'results-mongodb.json'), `${JSON.stringify(r, null, 2)}\n`);
    return;
  }
  if (values.store !== 'memory') throw new Error(`--store must be memory or mongodb (got ${values.store})`);

  say('in-process: checking every answer, then timing');
  let p = await buildPortcullis(ds, SERVER_LOG_LEVEL);
  const wrongIn = await verifyInProcess(p, [...zipf, ...uniform]);
  if (wrongIn.length) fail('in process', wrongIn);
  const rounds = quick ? 1 : 5;
  const inZipf = await measureInProcess(p, zipf, rounds);
  const inUniform = await measureInProcess(p, uniform, rounds);
  p.context.log.level = 'info'; // priced separately: lines go to /dev/null
  const infoLogging = (await measureInProcess(p, zipf, 1)).service;
  await p.close();
  p = undefined as never;

  say('in-process: decision log and shadow policy cost (one process, the variants alternating)');
  // Windows of 4,000 calls (~5-15 ms), alternating between the variants, 40 rounds; see journal-worker.ts.
  const journal = await measureJournalCost({ size, seed, rounds: quick ? 8 : 40, passes: 2, core: pin ? 0 : null, tsx: values.tsx! });

  say('starting the bench server (cold start: spawn → first correct answer)');
  const server = await startServer({ size, seed, token: TOKEN, logLevel: SERVER_LOG_LEVEL, core: pin ? 0 : null, probe: ds.featured[0]!, tsx: values.tsx! });
  try {
    say(`cold start ${server.coldStartMs.toFixed(0)} ms; checking every HTTP answer`);
    await setNoopAnswers(server.client, [...zipf, ...uniform]);
    const wrongHttp = await verifyHttp(server.client, [...zipf, ...uniform]);
    if (wrongHttp.length) fail('over HTTP', wrongHttp);
    const visibility = await verifyWriteVisibility(server.client, oracle);
    if (visibility.wrong.length) fail('write visibility', visibility.wrong);
    const search = await measureSearch(server.client, ds, oracle, quick ? 5 : 11);
    if (search.wrong.length) fail('search', search.wrong);

    const specs = loadSpecs(zipf);
    // The uniform questions follow the Zipf ones among the no-op's answers (setNoopAnswers above).
    const uniformSpecs = loadSpecs(uniform, zipf.length);
    specs.splice(3, 0, { ...uniformSpecs[2]!, name: 'single evaluation, uniform' });
    say('HTTP: warming up every workload, then round-robin runs');
    const http = await measureLoads(server.client, specs, timing, (line) => say(`HTTP ${line}`));
    const singleSpec = specs.find((x) => x.name === 'single evaluation' && x.connections === 32)!;
    const uniformSpec = specs.find((x) => x.name === 'single evaluation, uniform')!;
    say(`HTTP: decision / no-op ratio, ${ratioTiming.rounds} rounds of ${ratioTiming.runSec} s runs side by side, the server saturated`);
    // Each decision workload against the no-op answering its own questions (bench-family.ts, QUESTION_HEADER).
    const uniformNoop = { ...uniformSpecs[0]!, name: 'no-op, uniform questions' };
    const [zipfRatio, uniformRatio] = await measureRatios(
      server.client,
      [{ noop: specs[0]!, decision: singleSpec }, { noop: uniformNoop, decision: uniformSpec }],
      ratioTiming,
      (line) => say(`HTTP ${line}`),
    );
    // Latency under a steady load well below saturation: half the no-op's maximum rate, as the
    // ratio's saturating runs measured it (autocannon's runs are bound by autocannon's own core).
    const rate = Math.max(1, Math.round(zipfRatio!.noopRps / 2));
    const fixedSpec = { ...singleSpec, name: `single evaluation at ${rate} req/s (50% of the no-op's maximum)`, overallRate: rate };
    say(`HTTP: ${fixedSpec.name}`);
    const [fixedRate] = await measureLoads(server.client, [fixedSpec], timing, (line) => say(`HTTP ${line}`));
    const stats = await server.client.stats();
    const base: Omit<BenchResults, 'targets'> = {
      when: new Date().toISOString(),
      machine: machine(pinned, loadAvgStart),
      options: { size, seed, quick, serverLogLevel: SERVER_LOG_LEVEL, serverRuntime: values.tsx ? 'tsx' : 'node (compiled)' },
      dataset: {
        domains: ds.domains.length, projects: ds.projects.length, users: ds.users.length, groups: ds.groups.length,
        memberships: ds.memberships.length, roles: ds.roles.length, grants: ds.grants.length, resources: ds.resources.length,
        locks: ds.manilaLocks.length + ds.routeLocks.length + ds.cdnLocks.length,
      },
      questions: {
        zipf: zipf.length,
        uniform: uniform.length,
        allowRatio: [...zipf, ...uniform].filter((q) => q.expected).length / (zipf.length + uniform.length),
        checked: 2 * (zipf.length + uniform.length) * 2 + 4,
      },
      inProcess: { zipf: inZipf, uniform: inUniform, infoLogging },
      journal,
      http: [...http, fixedRate!],
      ratio: zipfRatio!.throughput,
      ratioUniform: uniformRatio!.throughput,
      fixedRate: { rate, ...fixedRate! },
      ratioCpu: zipfRatio!.cpu,
      ratioCpuUniform: uniformRatio!.cpu,
      ratioRounds: {
        runSec: ratioTiming.runSec,
        zipf: zipfRatio!.roundThroughput,
        uniform: uniformRatio!.roundThroughput,
        serverBusy: { zipf: zipfRatio!.serverBusy, uniform: uniformRatio!.serverBusy },
      },
      search: search.results,
      coldStart: { ms: server.coldStartMs, phasesMs: server.phasesMs },
      writeVisibleMs: visibility.ms,
      rssBytes: stats.rssBytes,
      heapAfterLoad: { usedBytes: stats.heapUsedBytes, totalBytes: stats.heapTotalBytes, spacesBytes: stats.heapSpacesBytes },
    };
    const results: BenchResults = { ...base, targets: targets(base) };
    const table = renderTable(results);
    process.stdout.write(`${table}\n`);
    const dir = path.resolve('.bench');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'latest.md'), `${table}\n`);
    if (values.json) {
      writeFileSync(path.join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
      say(`results written to ${path.join(dir, 'results.json')}`);
    }
  } finally {
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    say(`failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
