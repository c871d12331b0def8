/**
 * `npm run bench -- --store mongodb`: Portcullis on MongoDB against the memory store, in one run
 * (docs/benchmarks.md, "On MongoDB"). MONGODB_URI, or a FerretDB started as CI starts it.
 *
 *  1. The dataset is bulk-loaded into a fresh database (insertMany batches, one `reload` entry).
 *  2. A memory-store bench server is measured (single evaluation, 32 connections), then stopped.
 *  3. Two replicas start on the loaded database: cold start is spawn to first correct answer,
 *     loading the read model from the database included. Every answer of both is checked
 *     against the oracle before anything is timed.
 *  4. Replica A: decisions/s (same workload as 2); then the same reads with writes through A at
 *     1% and at 5% of the read rate, each write timed until replica B's decisions reflect it.
 *  5. RSS of both replicas.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { Dataset, SizeName } from './dataset-types.js';
import { startFerretDb, type RunningDatabase } from './ferretdb.js';
import type { BenchClient, LoadResult, LoadSpec } from './http-load.js';
import { measureLoads } from './http-load.js';
import { bulkLoadDataset } from './load-stores.js';
import { load1 } from './report.js';
import type { Question } from './requests.js';
import { evaluationBody } from './requests.js';
import { compileServer, startServer, type ServerHandle } from './server-process.js';
import { loadSpecs, verifyHttp } from './workloads.js';

export interface MongoBenchOptions {
  readonly ds: Dataset;
  readonly questions: readonly Question[];
  readonly size: SizeName;
  readonly seed: number;
  readonly quick: boolean;
  readonly token: string;
  readonly logLevel: string;
  readonly pin: boolean;
  readonly say: (line: string) => void;
}

export interface VisibilityRun {
  readonly writeShare: number;
  readonly targetWritesPerSec: number;
  readonly writesPerSec: number;
  readonly writes: number;
  readonly writeP50Ms: number;
  readonly writeP99Ms: number;
  readonly visibleP50Ms: number;
  readonly visibleP99Ms: number;
  readonly visibleMaxMs: number;
  readonly reads: LoadResult;
}

export interface MongoBenchResults {
  readonly when: string;
  readonly database: string;
  readonly loadAvg: { readonly start: number; readonly end: number };
  readonly bulkLoadMs: Record<string, number>;
  readonly memory: { readonly single32: LoadResult; readonly rssBytes: number; readonly coldStartMs: number };
  readonly replicas: { readonly coldStartMs: readonly number[]; readonly rssBytes: readonly number[]; readonly phasesMs: Record<string, number> };
  readonly mongo: { readonly single32: LoadResult };
  readonly ratio: number;
  readonly writes1: VisibilityRun;
  readonly writes5: VisibilityRun;
  readonly readP99InflationAt5: number;
}

const EVAL = '/access/v1/evaluation';

const pct = (xs: readonly number[], p: number) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

/**
 * Reads on A (autocannon) while writers put resources through A at `share` of the read rate;
 * each write is timed from A's acknowledgement until B's decision for its owner says allow.
 */
async function readsWithWrites(
  a: BenchClient,
  b: BenchClient,
  reads: LoadSpec,
  readRate: number,
  share: number,
  seconds: number,
  tag: string,
): Promise<VisibilityRun> {
  const target = readRate * share;
  const writeMs: number[] = [];
  const visibleMs: number[] = [];
  let running = true;
  let n = 0;
  const lane = async (laneNo: number, lanes: number) => {
    const interval = (1000 * lanes) / target;
    while (running) {
      const started = performance.now();
      const id = `bench-vis-${tag}-${laneNo}-${n++}`;
      const owner = `u-vis-${n % 97}`;
      const put = await a.call('PUT', `/v1/resources/vm/${id}`, { project_id: 'p-0-4', domain_id: 'd-0', owner });
      const acked = performance.now();
      if (put.status >= 300) throw new Error(`write answered ${put.status}: ${JSON.stringify(put.json)}`);
      writeMs.push(acked - started);
      const body = evaluationBody({ subject: owner, action: 'update', type: 'vm', id, expected: true });
      for (;;) {
        const { status, json } = await b.call('POST', EVAL, body);
        if (status === 200 && json.decision === true) break;
        if (performance.now() - acked > 30_000) throw new Error(`write ${id} not visible on replica B after 30 s`);
      }
      visibleMs.push(performance.now() - acked);
      const wait = interval - (performance.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  };
  // Enough writers for the target rate even if one write takes ~100 ms.
  const lanes = Math.max(1, Math.min(16, Math.ceil(target / 10)));
  const started = performance.now();
  const writers = Array.from({ length: lanes }, (_, i) => lane(i, lanes));
  const [load] = await measureLoads(a, [reads], { warmSec: 0.5, runSec: seconds, runs: 1 }, () => undefined);
  running = false;
  await Promise.all(writers);
  const elapsed = (performance.now() - started) / 1000;
  return {
    writeShare: share,
    targetWritesPerSec: target,
    writesPerSec: writeMs.length / elapsed,
    writes: writeMs.length,
    writeP50Ms: pct(writeMs, 50),
    writeP99Ms: pct(writeMs, 99),
    visibleP50Ms: pct(visibleMs, 50),
    visibleP99Ms: pct(visibleMs, 99),
    visibleMaxMs: Math.max(0, ...visibleMs),
    reads: load!,
  };
}

export async function runMongoBench(o: MongoBenchOptions): Promise<MongoBenchResults> {
  const loadStart = load1();
  const db: RunningDatabase = process.env.MONGODB_URI
    ? { uri: process.env.MONGODB_URI, label: 'MONGODB_URI', stop: async () => {} }
    : await startFerretDb();
  const dbName = `portcullis_bench_${randomBytes(4).toString('hex')}`;
  const admin = new MongoClient(db.uri);
  const servers: ServerHandle[] = [];
  try {
    o.say(`bulk-loading dataset ${o.size} into ${db.label}, database ${dbName}`);
    const bulkLoadMs = await bulkLoadDataset(o.ds, admin.db(dbName));
    o.say(`bulk load: ${JSON.stringify(bulkLoadMs)}`);
    const timing = o.quick ? { warmSec: 1, runSec: 3, runs: 1 } : { warmSec: 2, runSec: 5, runs: 3 };
    const single32 = loadSpecs(o.questions).find((s) => s.name === 'single evaluation' && s.connections === 32)!;
    const compiled = compileServer();
    const base = { size: o.size, seed: o.seed, token: o.token, logLevel: o.logLevel, probe: o.ds.featured[0]!, tsx: false, compiled };

    o.say('memory store: single evaluation, 32 connections');
    const mem = await startServer({ ...base, core: o.pin ? 0 : null });
    let memory: MongoBenchResults['memory'];
    try {
      const [m] = await measureLoads(mem.client, [single32], timing, (l) => o.say(`memory ${l}`));
      memory = { single32: m!, rssBytes: (await mem.client.stats()).rssBytes, coldStartMs: mem.coldStartMs };
    } finally {
      await mem.stop();
    }

    const env = { BENCH_STORE: 'mongodb', MONGODB_URI: db.uri, MONGODB_DB: dbName };
    o.say('replica A: cold start on the loaded database');
    const a = await startServer({ ...base, core: o.pin ? 0 : null, env });
    servers.push(a);
    o.say(`replica A answered after ${a.coldStartMs.toFixed(0)} ms; replica B: cold start`);
    const b = await startServer({ ...base, core: o.pin ? 0 : null, env });
    servers.push(b);
    o.say(`replica B answered after ${b.coldStartMs.toFixed(0)} ms; checking every answer of both against the oracle`);
    for (const [name, s] of [['A', a], ['B', b]] as const) {
      const wrong = await verifyHttp(s.client, o.questions);
      if (wrong.length) throw new Error(`replica ${name}: ${wrong.length} answers differ from the oracle, e.g. ${wrong.slice(0, 5).join('; ')}`);
    }

    o.say('replica A: single evaluation, 32 connections');
    const [mongoSingle] = await measureLoads(a.client, [single32], timing, (l) => o.say(`replica A ${l}`));
    const seconds = o.quick ? 5 : 15;
    o.say('replica A: reads with 1% writes, each timed until replica B reflects it');
    const writes1 = await readsWithWrites(a.client, b.client, single32, mongoSingle!.requestsPerSec, 0.01, seconds, 'w1');
    o.say('replica A: reads with 5% writes');
    const writes5 = await readsWithWrites(a.client, b.client, single32, mongoSingle!.requestsPerSec, 0.05, seconds, 'w5');
    const rss = [(await a.client.stats()).rssBytes, (await b.client.stats()).rssBytes];
    return {
      when: new Date().toISOString(),
      database: db.label,
      loadAvg: { start: loadStart, end: load1() },
      bulkLoadMs,
      memory,
      replicas: { coldStartMs: [a.coldStartMs, b.coldStartMs], rssBytes: rss, phasesMs: a.phasesMs },
      mongo: { single32: mongoSingle! },
      ratio: mongoSingle!.decisionsPerSec / memory.single32.decisionsPerSec,
      writes1,
      writes5,
      readP99InflationAt5: writes5.reads.serverP99Us / Math.max(1, mongoSingle!.serverP99Us) - 1,
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await admin.db(dbName).dropDatabase().catch(() => undefined);
    await admin.close();
    await db.stop();
  }
}

const ms = (x: number) => `${x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1)} ms`;
const mb = (x: number) => `${Math.round(x / 1024 / 1024)} MB`;
const num = (x: number) => Math.round(x).toLocaleString('en-US');

export function renderMongoTable(r: MongoBenchResults, size: SizeName, sizes: string): string {
  const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const w = (v: VisibilityRun) =>
    `| writes at ${v.writeShare * 100}% of reads | ${num(v.reads.decisionsPerSec)} | ${v.writes} at ${v.writesPerSec.toFixed(1)}/s (target ${v.targetWritesPerSec.toFixed(1)}/s) | ${ms(v.writeP50Ms)} / ${ms(v.writeP99Ms)} | ${ms(v.visibleP50Ms)} / ${ms(v.visibleP99Ms)} (max ${ms(v.visibleMaxMs)}) | ${ms(v.reads.latencyP99Ms)} | ${Math.round(v.reads.serverP99Us)} µs |`;
  return [
    `**Portcullis on MongoDB**, dataset ${size} (${sizes}), ${r.when}`,
    '',
    `- Database: ${r.database}; load average (1 min) ${r.loadAvg.start.toFixed(2)} at start, ${r.loadAvg.end.toFixed(2)} at end`,
    `- Bulk load (insertMany, 5,000 a batch): ${Object.entries(r.bulkLoadMs).map(([k, v]) => `${k} ${ms(v)}`).join(', ')}`,
    '',
    '| Single evaluation, 32 connections | decisions/s | client p50 | client p99 | server p50 | server p99 |',
    '|---|---|---|---|---|---|',
    `| memory store | ${num(r.memory.single32.decisionsPerSec)} | ${ms(r.memory.single32.latencyP50Ms)} | ${ms(r.memory.single32.latencyP99Ms)} | ${Math.round(r.memory.single32.serverP50Us)} µs | ${Math.round(r.memory.single32.serverP99Us)} µs |`,
    `| MongoDB, replica A | ${num(r.mongo.single32.decisionsPerSec)} | ${ms(r.mongo.single32.latencyP50Ms)} | ${ms(r.mongo.single32.latencyP99Ms)} | ${Math.round(r.mongo.single32.serverP50Us)} µs | ${Math.round(r.mongo.single32.serverP99Us)} µs |`,
    '',
    '| Reads on A with writes through A | decisions/s | writes done | write latency p50 / p99 | visible on B p50 / p99 | read client p99 | read server p99 |',
    '|---|---|---|---|---|---|---|',
    w(r.writes1),
    w(r.writes5),
    '',
    `- Cold start of a replica on the loaded store (spawn → first correct answer, read model loaded from the database): A ${ms(r.replicas.coldStartMs[0]!)}, B ${ms(r.replicas.coldStartMs[1]!)} (memory store, generating and seeding in process: ${ms(r.memory.coldStartMs)})`,
    `- RSS after load: replica A ${mb(r.replicas.rssBytes[0]!)}, replica B ${mb(r.replicas.rssBytes[1]!)}; memory-store server ${mb(r.memory.rssBytes)}`,
    '',
    '| Target | limit | measured | |',
    '|---|---|---|---|',
    `| decisions/s, MongoDB / memory | >= 0.8 | ${r.ratio.toFixed(2)} | ${met(r.ratio >= 0.8)} |`,
    `| write → visible on replica B, p99 at 1% writes | <= 250 ms | ${ms(r.writes1.visibleP99Ms)} | ${met(r.writes1.visibleP99Ms <= 250)} |`,
    `| read p99 inflation at 5% writes (server p99) | — | ${(r.readP99InflationAt5 * 100).toFixed(0)}% | |`,
    `| cold start of a replica (M target) | <= 15 s | ${ms(Math.max(...r.replicas.coldStartMs))} | ${met(Math.max(...r.replicas.coldStartMs) <= 15000)} |`,
  ].join('\n');
}
