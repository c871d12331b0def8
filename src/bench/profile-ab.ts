/**
 * Profiling aid: two builds of the bench server side by side, server CPU per request for the
 * no-op and single evaluations (Zipf, uniform), in interleaved rounds (A then B, then B then A...)
 * so that whatever else the machine runs weighs on both alike. Each entry is a compiled
 * `bench-server.js` (`npx tsc -p . --outDir DIR` in each checkout, or the `.bench/dist` that
 * profile-http and the bench compile):
 *
 *   npx tsx src/bench/profile-ab.ts [--size M] [--requests 2000] [--rounds 8] [--core 0] A/bench-server.js B/bench-server.js
 *
 * `--flags-a` / `--flags-b` add node flags to one side only (e.g. the same build twice, B with
 * `--flags-b=--max-semi-space-size=4`), after BENCH_NODE_FLAGS, which both get.
 *
 * Reports min and median µs CPU per request (the whole process, from /proc, and its main thread)
 * and the no-op / decision ratio of each build, from the minima and from the medians.
 */
import { parseArgs } from 'node:util';
import type { SizeName } from './dataset-types.js';
import { median } from './histogram.js';
import { profileWorkloads, runWorkload, startProfiledServer, type ProfiledServer } from './profile-server.js';
import { nodeFlags } from './server-process.js';
import { threadCpu } from './thread-cpu.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    size: { type: 'string', default: 'M' },
    requests: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '8' },
    core: { type: 'string' },
    'flags-a': { type: 'string', default: '' },
    'flags-b': { type: 'string', default: '' },
  },
});
if (positionals.length !== 2) throw new Error('give two compiled bench-server.js entries (A and B)');
const size = values.size!.toUpperCase() as SizeName;
const requests = Number(values.requests);
const say = (s: string) => process.stderr.write(`[profile-ab] ${s}\n`);

const workloads = profileWorkloads(size).filter((w) => w.name !== 'batch of 50');

async function start(label: string, entry: string, flags: string): Promise<ProfiledServer & { readonly label: string }> {
  const node = [process.execPath, ...nodeFlags(), ...flags.split(/\s+/).filter(Boolean), entry];
  const server = await startProfiledServer({ argv: values.core === undefined ? node : ['taskset', '-c', values.core, ...node], size });
  say(`${label} ready (pid ${server.pid}): ${entry}${flags ? ` ${flags}` : ''}`);
  for (const w of workloads) await w.setup?.(server.client);
  return { ...server, label };
}

const servers = [await start('A', positionals[0]!, values['flags-a']!), await start('B', positionals[1]!, values['flags-b']!)];
for (const s of servers) for (const w of workloads) await runWorkload(s.client, w, w.reqs.length * 3);

/** label → workload → per-round µs CPU a request [process, main thread]. */
const samples = new Map<string, Map<string, [number, number][]>>();
for (let round = 0; round < Number(values.rounds); round++) {
  const order = round % 2 === 0 ? servers : [...servers].reverse();
  for (const w of workloads) {
    for (const s of order) {
      const before = threadCpu(s.pid)!;
      await runWorkload(s.client, w, requests);
      const after = threadCpu(s.pid)!;
      const total = ((after.mainMs + after.otherMs - before.mainMs - before.otherMs) * 1000) / requests;
      const main = ((after.mainMs - before.mainMs) * 1000) / requests;
      const perServer = samples.get(s.label) ?? samples.set(s.label, new Map()).get(s.label)!;
      (perServer.get(w.name) ?? perServer.set(w.name, []).get(w.name)!).push([total, main]);
    }
  }
  say(`round ${round + 1} done`);
}

for (const s of servers) {
  const perServer = samples.get(s.label)!;
  const stat = (name: string, i: 0 | 1, f: (xs: number[]) => number) => f(perServer.get(name)!.map((x) => x[i]));
  process.stdout.write(`${s.label}\n`);
  for (const w of workloads) {
    const rounds = perServer.get(w.name)!.map((x) => x[0].toFixed(0)).join(', ');
    process.stdout.write(
      `  ${w.name.padEnd(16)} min ${stat(w.name, 0, (xs) => Math.min(...xs)).toFixed(1)} median ${stat(w.name, 0, median).toFixed(1)} µs CPU ` +
        `(main thread min ${stat(w.name, 1, (xs) => Math.min(...xs)).toFixed(1)} median ${stat(w.name, 1, median).toFixed(1)}); rounds ${rounds}\n`,
    );
  }
  for (const w of workloads.slice(1)) {
    const ratio = (f: (xs: number[]) => number) => (stat('no-op', 0, f) / stat(w.name, 0, f)).toFixed(3);
    process.stdout.write(`  no-op / ${w.name}: ${ratio((xs) => Math.min(...xs))} (minima), ${ratio(median)} (medians)\n`);
  }
  const stats = await s.client.stats();
  process.stdout.write(`  RSS ${(stats.rssBytes / 1048576).toFixed(0)} MB, heap used ${(stats.heapUsedBytes / 1048576).toFixed(0)} MB\n`);
}
for (const s of servers) s.child.kill('SIGTERM');
process.exit(0);
