/**
 * Profiling aid: the server-side cost of one HTTP request, per workload (no-op, single evaluation
 * Zipf and uniform, batch of 50), measured in a way that holds up on a busy machine.
 *
 *   npx tsx src/bench/profile-http.ts [--size S|M] [--requests N] [--mode cpu|callgrind|prof] [--settle seconds]
 *                                     [--core N] [--gc] [--cache-sim]
 *
 * `cpu` (default): server CPU time per request (process.cpuUsage in the server), the minimum of
 * several alternating rounds, and (on Linux) how it splits between the main thread and V8's helper
 * threads (concurrent marking and sweeping, parallel scavenges). `--gc` also runs the server with
 * `--trace-gc-nvp` and reports, per workload and round, bytes allocated and promoted to old space
 * per request and the collections' pauses (src/bench/gc-trace.ts). `--core N` pins the server to
 * core N as `npm run bench` does (its helper threads then share that core). Each workload's run is
 * logged as a window of CLOCK_MONOTONIC time, so a `perf record -k mono -p <server pid>` taken
 * meanwhile can be cut per workload (`perf script --time`). `callgrind`: the server runs under `valgrind --tool=callgrind` with
 * instrumentation switched on only while a workload runs, and each workload reports instructions
 * per request: repeatable to ~1% whatever else the machine is doing (slow: use --size S), and with
 * `--cache-sim` the cache misses a request (see CACHE_SIM).
 * `prof`: a CPU profile of each workload's run, written to .bench/profiles/<workload> round <n>
 * <requests> requests.cpuprofile (summarise with src/bench/profile-summary.ts --per <requests>).
 * The compiled server is the one `npm run bench` runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SizeName } from './dataset-types.js';
import { addGcLine, describeGcWindow, emptyGcWindow, type GcWindow } from './gc-trace.js';
import { profileWorkloads, runWorkload, startProfiledServer, type ProfileWorkload } from './profile-server.js';
import { compileServer, nodeFlags } from './server-process.js';
import { threadCpu } from './thread-cpu.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'S' },
    requests: { type: 'string', default: '2000' },
    mode: { type: 'string', default: 'cpu' },
    rounds: { type: 'string', default: '3' },
    only: { type: 'string' },
    settle: { type: 'string' },
    core: { type: 'string' },
    gc: { type: 'boolean', default: false },
    'cache-sim': { type: 'boolean', default: false },
  },
});
const size = values.size!.toUpperCase() as SizeName;
const requests = Number(values.requests);
const mode = values.mode!;
const say = (s: string) => process.stderr.write(`[profile-http] ${s}\n`);

const workloads = profileWorkloads(size).filter((w) => !values.only || values.only.split(',').some((o) => w.name.startsWith(o)));

const entry = compileServer();
const root = path.resolve(path.dirname(entry), '../../../..');
const profDir = path.join(root, '.bench', 'profiles');
const cgOut = '/tmp/profile-http.callgrind';
const node = [process.execPath, ...nodeFlags(), ...(values.gc ? ['--trace-gc-nvp'] : []), entry];
const pinned = values.core === undefined ? node : ['taskset', '-c', values.core, ...node];
/**
 * `--cache-sim` (callgrind): also simulate the caches and count misses a request. The last level
 * is modelled as one core's 2 MB L2: this machine's L3 is shared with other machines on its host,
 * so what a request keeps there depends on them; a miss of the private caches is what code and
 * data layout decide.
 */
const CACHE_SIM = ['--cache-sim=yes', '--I1=32768,8,64', '--D1=49152,12,64', '--LL=2097152,16,64'];
const argv =
  mode === 'callgrind'
    ? ['valgrind', '--tool=callgrind', ...(values['cache-sim'] ? CACHE_SIM : []), '--smc-check=all-non-file', '--instr-atstart=no', '--log-file=/tmp/profile-http.vglog.%p', `--callgrind-out-file=${cgOut}.%p`, ...node]
    : pinned;
if (mode === 'prof') mkdirSync(profDir, { recursive: true });
/** The window --trace-gc-nvp lines are summed into while a workload runs. */
let gcWindow: GcWindow | undefined;
const { child, pid, client } = await startProfiledServer({
  argv,
  size,
  ...(mode === 'prof' ? { env: { BENCH_PROFILE_DIR: profDir } } : {}),
  quietStderr: mode === 'callgrind',
  onLine: (line) => gcWindow && addGcLine(gcWindow, line),
});
say(`server ready (pid ${pid}), ${size}, mode ${mode}`);
for (const w of workloads) await w.setup?.(client);

const run = (w: ProfileWorkload, amount: number) => runWorkload(client, w, amount);

// vgdb names its pipes after $HOST, which the server's environment sets to its listen address.
const control = (...args: string[]) =>
  spawnSync('callgrind_control', [...args, String(pid)], { encoding: 'utf8', env: { ...process.env, HOST: '127.0.0.1' } });

/**
 * Dumps the counters (callgrind writes `<out>.<pid>.<n>`) and returns the dump's totals by event
 * (Ir, and with --cache-sim the reads, writes and misses of each cache level: Dr, D1mr, DLmr...).
 */
async function dumpTotals(): Promise<Map<string, number>> {
  const dumps = () => readdirSync('/tmp').filter((f) => f.startsWith(`${path.basename(cgOut)}.${pid}.`));
  const before = dumps().length;
  const out = control('--dump');
  if (out.status !== 0) say(`callgrind_control failed: ${out.stdout}${out.stderr}`);
  let file: string | undefined;
  for (let i = 0; i < 100 && !file; i++) {
    file = dumps().sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()))[before];
    if (!file) await new Promise((r) => setTimeout(r, 100));
  }
  if (!file) {
    say(`no dump file after ${before} (${dumps().join(', ')}): ${out.stdout}`);
    return new Map();
  }
  const text = readFileSync(path.join('/tmp', file), 'utf8');
  const events = /^events: (.+)$/m.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
  const totals = /^totals: (.+)$/m.exec(text)?.[1]?.trim().split(/\s+/).map(Number) ?? [];
  return new Map(events.map((e, i) => [e, totals[i] ?? 0]));
}

/** Cache misses a request from callgrind's totals: first-level data and instruction, last level. */
function describeMisses(t: Map<string, number>, amount: number): string {
  const per = (...events: string[]) => (events.reduce((sum, e) => sum + (t.get(e) ?? 0), 0) / amount).toFixed(0);
  return `D1 misses ${per('D1mr', 'D1mw')}, I1 misses ${per('I1mr')}, LL misses ${per('DLmr', 'DLmw', 'ILmr')} (data ${per('DLmr', 'DLmw')}) a request`;
}

// Warm-up: every request of every workload three times, so V8 has optimised the paths before
// measuring (under callgrind too: after one pass TurboFan was still compiling the decision path in
// the second round, 12-67k instructions a request, and which functions were inlined where moved
// from run to run).
for (const w of workloads) await run(w, w.reqs.length * 3);
const results = new Map<string, number[]>();
for (let round = 0; round < Number(values.rounds); round++) {
  for (const w of workloads) {
    const amount = Math.max(1, Math.round(requests / w.per));
    if (mode === 'callgrind') {
      control('--zero');
      control('--instr=on');
      await run(w, amount);
      control('--instr=off');
      const totals = await dumpTotals();
      const ir = totals.get('Ir') ?? NaN;
      (results.get(w.name) ?? results.set(w.name, []).get(w.name)!).push(ir / amount);
      if (values['cache-sim']) say(`round ${round + 1} ${w.name}: ${(ir / amount / 1000).toFixed(0)}k instructions, ${describeMisses(totals, amount)}`);
    } else {
      if (mode === 'prof') await client.call('POST', '/bench/profile/start');
      const before = await client.stats();
      const threadsBefore = threadCpu(pid);
      if (values.gc) gcWindow = emptyGcWindow();
      const startedNs = process.hrtime.bigint();
      await run(w, amount);
      const endedNs = process.hrtime.bigint();
      const threadsAfter = threadCpu(pid);
      const after = await client.stats();
      const gc = gcWindow;
      gcWindow = undefined;
      if (mode === 'prof') {
        const { json } = await client.call('POST', `/bench/profile/stop?name=${encodeURIComponent(`${w.name} round ${round + 1} ${amount} requests`)}`);
        say(`profile: ${json.file}`);
      }
      const cpuUs = (after.cpuUserMs + after.cpuSystemMs - before.cpuUserMs - before.cpuSystemMs) * 1000;
      (results.get(w.name) ?? results.set(w.name, []).get(w.name)!).push(cpuUs / amount);
      const perRequest = (ms: number) => ((ms * 1000) / amount).toFixed(1);
      const split =
        threadsBefore && threadsAfter
          ? `, main thread ${perRequest(threadsAfter.mainMs - threadsBefore.mainMs)}, helpers ${perRequest(threadsAfter.otherMs - threadsBefore.otherMs)}`
          : '';
      say(`round ${round + 1} ${w.name}: ${(cpuUs / amount).toFixed(1)} µs CPU a request${split}${gc ? `; ${describeGcWindow(gc, amount)}` : ''}`);
      // CLOCK_MONOTONIC, as `perf record -k mono` stamps samples: a profile can be cut per workload.
      say(`window ${w.name} round ${round + 1}: ${startedNs} ${endedNs} ns, ${amount} requests`);
    }
  }
}
const stats = await client.stats();
const unit = mode === 'callgrind' ? 'instructions' : 'µs CPU';
const noop = Math.min(...(results.get('no-op') ?? [NaN]));
for (const [name, xs] of results) {
  const best = Math.min(...xs);
  const shown = mode === 'callgrind' ? `${(best / 1000).toFixed(0)}k` : best.toFixed(1);
  const ratio = name === 'no-op' || Number.isNaN(noop) ? '' : `  no-op/this ${(noop / best).toFixed(3)}`;
  process.stdout.write(`${name.padEnd(16)} ${shown.padStart(8)} ${unit} per request (rounds: ${xs.map((x) => (mode === 'callgrind' ? (x / 1000).toFixed(0) : x.toFixed(1))).join(', ')})${ratio}\n`);
}
const mbOf = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
process.stdout.write(
  `server RSS ${mbOf(stats.rssBytes)}, heap used ${mbOf(stats.heapUsedBytes)} of ${mbOf(stats.heapTotalBytes)} (` +
    Object.entries(stats.heapSpacesBytes).filter(([, b]) => b >= 1048576).map(([name, b]) => `${name} ${mbOf(b)}`).join(', ') +
    `), external ${mbOf(stats.externalBytes)}\n`,
);
// --settle N: RSS and heap while the server sits idle for N seconds after the load (V8's memory
// reducer collects and returns memory once allocation stops).
for (let t = 0; t < Number(values.settle ?? 0); t += 5) {
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const idle = await client.stats();
  process.stdout.write(`  idle ${t + 5} s: RSS ${(idle.rssBytes / 1048576).toFixed(0)} MB, heap used ${(idle.heapUsedBytes / 1048576).toFixed(0)} MB\n`);
}
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
if (mode === 'callgrind' && !process.env.KEEP) for (const f of readdirSync('/tmp').filter((f) => f.startsWith(path.basename(cgOut)))) rmSync(path.join('/tmp', f));
process.exit(0);
