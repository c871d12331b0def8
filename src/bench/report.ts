/**
 * Results: the machine-readable record of a run and its human table (markdown, so the same text
 * goes into the README), with each target met or missed.
 */
import { cpus, loadavg } from 'node:os';
import { median, medianStandardError, quantile, type Summary } from './histogram.js';
import type { LoadResult } from './http-load.js';
import type { InProcessResult } from './in-process.js';
import { bytesPerRecord, KEPT_RECORDS, type JournalCost } from './journal-cost.js';
import type { SearchResult } from './search-workload.js';

export interface Target {
  readonly name: string;
  readonly limit: string;
  readonly value: string;
  readonly met: boolean;
}

export interface BenchResults {
  readonly when: string;
  readonly machine: { cpu: string; nproc: number; node: string; platform: string; pinned: string; loadAvgStart: number; loadAvgEnd: number };
  readonly options: { size: string; seed: number; quick: boolean; serverLogLevel: string; serverRuntime?: string };
  readonly dataset: Record<string, number>;
  readonly questions: { zipf: number; uniform: number; allowRatio: number; checked: number };
  readonly inProcess: { zipf: InProcessResult; uniform: InProcessResult; infoLogging: Summary };
  /** Decision log and shadow policy cost (absent in results saved before they were measured). */
  readonly journal?: JournalCost;
  readonly http: readonly LoadResult[];
  /** Single evaluation (Zipf), 32 connections: requests/s over the no-op's (median of the rounds' paired ratios, http-load.ts measureRatios). */
  readonly ratio: number;
  /** The same with uniformly drawn requests (absent in results from before it was measured). */
  readonly ratioUniform?: number;
  /** No-op server CPU per request / decision server CPU per request, Zipf (median of paired ratios). */
  readonly ratioCpu: number;
  /** The same, uniform (absent in older results). */
  readonly ratioCpuUniform?: number;
  /**
   * The throughput ratio of each round and the length of a run (absent in results from before the
   * ratio had rounds of its own), and the share of the decision runs the server was busy (absent
   * before the ratio's load generator saturated the server, 2026-11-30).
   */
  readonly ratioRounds?: {
    readonly runSec: number;
    readonly zipf: readonly number[];
    readonly uniform: readonly number[];
    readonly serverBusy?: { readonly zipf: number; readonly uniform: number };
  };
  /** Single evaluation at a fixed rate of half the no-op's maximum (also the last row of `http`). */
  readonly fixedRate?: LoadResult & { readonly rate: number };
  readonly search: readonly SearchResult[];
  readonly coldStart: { ms: number; phasesMs: Record<string, number> };
  readonly writeVisibleMs: number;
  readonly rssBytes: number;
  /** Where that RSS is: V8's heap, committed and in use, and each space's committed size (absent in older results). */
  readonly heapAfterLoad?: { readonly usedBytes: number; readonly totalBytes: number; readonly spacesBytes: Record<string, number> };
  readonly targets: readonly Target[];
}

/** The 1-minute load average: other work on the machine shows up here (and in the figures). */
export function load1(): number {
  return loadavg()[0]!;
}

export function machine(pinned: string, loadAvgStart: number) {
  const cpu = cpus()[0]?.model ?? 'unknown';
  return { cpu, nproc: cpus().length, node: process.version, platform: `${process.platform}-${process.arch}`, pinned, loadAvgStart, loadAvgEnd: load1() };
}

const n = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const us = (x: number) => `${n(x, x < 100 ? 1 : 0)} µs`;
const ms = (x: number) => `${n(x, x < 10 ? 2 : 1)} ms`;

export function renderTable(r: BenchResults): string {
  const lines: string[] = [];
  const m = r.machine;
  lines.push(`**Portcullis benchmark**, dataset ${r.options.size} (seed ${r.options.seed})${r.options.quick ? ', QUICK run' : ''}, ${r.when}`);
  lines.push('', `- Machine: ${m.cpu}, ${m.nproc} cores, Node ${m.node}, ${m.platform}; ${m.pinned}`);
  lines.push(`- Load average (1 min) at start ${n(m.loadAvgStart, 2)}, at end ${n(m.loadAvgEnd, 2)} (anything above ~0 is other work competing for the cores)`);
  lines.push(`- Dataset: ${Object.entries(r.dataset).map(([k, v]) => `${n(v)} ${k}`).join(', ')}`);
  lines.push(
    `- Requests: ${n(r.questions.zipf)} Zipf + ${n(r.questions.uniform)} uniform, ${n(r.questions.allowRatio * 100)}% allow; ` +
      `${n(r.questions.checked)} answers checked against the oracle before timing (all matched)`,
  );
  lines.push(`- Server log level: ${r.options.serverLogLevel} (one pino line per decision at info)`);
  lines.push(`- Server runtime: ${r.options.serverRuntime ?? 'tsx'}`, '');
  lines.push('| In-process decision (no HTTP) | p50 | p90 | p99 |', '|---|---|---|---|');
  for (const [label, s] of [
    ['DecisionService.evaluate, Zipf', r.inProcess.zipf.service],
    ['DecisionService.evaluate, uniform', r.inProcess.uniform.service],
    ['Engine.decideResource only, Zipf', r.inProcess.zipf.engine],
    ['Engine.decideResource only, uniform', r.inProcess.uniform.engine],
    ['DecisionService.evaluate, Zipf, info logging to /dev/null', r.inProcess.infoLogging],
    ['batch of 50 (sequential evaluate), Zipf', r.inProcess.zipf.batch50],
  ] as const) {
    lines.push(`| ${label} | ${us(s.p50)} | ${us(s.p90)} | ${us(s.p99)} |`);
  }
  lines.push('');
  for (const [label, x] of [['Zipf', r.inProcess.zipf], ['uniform', r.inProcess.uniform]] as const) {
    lines.push(
      `- DecisionService.evaluate, ${label}: ${us(x.serviceCpuUs)} CPU per decision (mean); ` +
        `${x.gc.count} GC pauses totalling ${ms(x.gc.totalMs)} (max ${ms(x.gc.maxMs)}) during ${n(x.service.count)} timed calls`,
    );
  }
  if (r.journal) {
    const j = r.journal;
    const pct = (x: number) => `${x >= 0 ? '+' : ''}${n(x * 100, 1)}%`;
    lines.push(
      '',
      `| CPU per call, in process (one process, the variants' windows alternating, ${n(j.rounds)} rounds of ${n(j.passes * 2000)} calls a window, Zipf) | resource decision | cost vs log off | permission check | cost vs log off |`,
      '|---|---|---|---|---|',
    );
    for (const [label, v] of [
      ['decision log off (PORTCULLIS_DECISION_LOG_SIZE=0)', j.logOff],
      ['decision log on (10,000 kept, the default)', j.logOn],
      ['decision log on + shadow policy', j.logOnShadow],
    ] as const) {
      lines.push(`| ${label} | ${n(v.decisionUs, 2)} µs | ${pct(v.decisionCost)} | ${n(v.permissionUs, 2)} µs | ${pct(v.permissionCost)} |`);
    }
    lines.push(
      '',
      '- CPU: median window; cost: median over the rounds of each round\'s ratio to the log off\'s window (journal-worker.ts).',
      `- Promoted to the old generation per call (resource decision / permission check): log off ${n(j.logOff.decisionPromotedBytes)} / ${n(j.logOff.permissionPromotedBytes)} bytes, ` +
        `log on ${n(j.logOn.decisionPromotedBytes)} / ${n(j.logOn.permissionPromotedBytes)}, + shadow ${n(j.logOnShadow.decisionPromotedBytes)} / ${n(j.logOnShadow.permissionPromotedBytes)}.`,
    );
    const bytes = bytesPerRecord(j);
    const permissionBytes = bytesPerRecord(j, 'permission');
    if (bytes !== null) {
      lines.push('', `- The kept records' live heap: ${n(bytes)} bytes per record (log on - log off, after a full GC, ${n(KEPT_RECORDS)} kept), ${n((bytes * KEPT_RECORDS) / 1048576, 1)} MB for the ring.`);
    }
    if (permissionBytes !== null) {
      lines.push(`- With the ring full of permission checks: ${n(permissionBytes)} bytes per record.`);
    }
  }
  lines.push('', '| HTTP workload | conns | decisions/s | req/s | client p50 | client p99 | server p50 | server p99 | CPU ms / 1k decisions |', '|---|---|---|---|---|---|---|---|---|');
  for (const h of r.http) {
    lines.push(
      `| ${h.name} | ${h.connections} | ${n(h.decisionsPerSec)} | ${n(h.requestsPerSec)} | ${ms(h.latencyP50Ms)} | ${ms(h.latencyP99Ms)} | ` +
        `${us(h.serverP50Us)} | ${us(h.serverP99Us)} | ${n(h.cpuMsPer1000Decisions, 1)} |`,
    );
  }
  lines.push('', '- Client latencies come from autocannon, at 1 ms resolution (the fixed-rate run: raw-load.ts, from when each request was due); server times are measured in the server, from the request event to response finish.');
  lines.push(
    `- Ratio (single evaluation, 32 conns / no-op, 32 conns, answering the same questions): throughput ${n(r.ratio, 2)} Zipf` +
      `${r.ratioUniform === undefined ? '' : `, ${n(r.ratioUniform, 2)} uniform`}; server CPU per request ${n(r.ratioCpu, 2)} Zipf` +
      `${r.ratioCpuUniform === undefined ? '' : `, ${n(r.ratioCpuUniform, 2)} uniform`}`,
  );
  if (r.ratioRounds) {
    const spread = (xs: readonly number[]) =>
      `median ${n(median(xs), 3)} (standard error ${n(medianStandardError(xs), 3)}, bootstrap), quartiles ${n(quantile(xs, 0.25), 2)}-${n(quantile(xs, 0.75), 2)}`;
    lines.push(
      `- Throughput ratio over ${r.ratioRounds.zipf.length} rounds of ${r.ratioRounds.runSec} s runs side by side (the results file lists every round): ` +
        `Zipf ${spread(r.ratioRounds.zipf)}; uniform ${spread(r.ratioRounds.uniform)}`,
    );
    const busy = r.ratioRounds.serverBusy;
    if (busy) {
      lines.push(
        `- The ratio's load generator keeps the server saturated (raw-load.ts closedLoopOn): server busy ${n(busy.zipf * 100)}% Zipf, ${n(busy.uniform * 100)}% uniform ` +
          "(over the decision runs). The table's autocannon runs leave it partly idle: autocannon's own core is their bottleneck.",
      );
    }
  }
  if (r.fixedRate) {
    const f = r.fixedRate;
    lines.push(
      `- At a fixed ${n(f.rate)} req/s (50% of the no-op's maximum in the ratio's saturated runs), single evaluation, 32 conns: ` +
        `${n(f.requestsPerSec)} req/s sent, client p99 ${ms(f.latencyP99Ms)} (timed from when each request was due` +
        `${f.sentLateP99Ms === undefined ? '' : `; a request left up to ${ms(f.sentLateP99Ms)} late at p99: the load generator's 1 ms timer and its own delays`}), server p99 ${us(f.serverP99Us)}, event-loop delay p99 ${ms(f.eventLoopDelayP99Ms)}`,
    );
  }
  for (const s of r.search) lines.push(`- ${s.name}: p50 ${ms(s.latencyMs.p50)}, max ${ms(s.latencyMs.max)} (${s.latencyMs.count} calls, ${s.resultCount} results)`);
  const phases = Object.entries(r.coldStart.phasesMs).map(([k, v]) => `${k} ${n(v)} ms`).join(', ');
  const p = r.coldStart.phasesMs;
  const seeding = (p.generate ?? 0) + (p.seedStores ?? 0) + (p.collectGarbage ?? 0);
  lines.push(`- Cold start to first correct answer: ${ms(r.coldStart.ms)} (${phases}); without building the dataset (generating it, seeding the stores, collecting the generator's garbage): ${ms(r.coldStart.ms - seeding)}`);
  lines.push(`- Write acknowledged → decision reflecting it: ${ms(r.writeVisibleMs)} (next request)`);
  lines.push(`- Server RSS after load: ${n(r.rssBytes / 1048576)} MB${r.heapAfterLoad ? ` (${heapParts(r.rssBytes, r.heapAfterLoad)})` : ''}`, '');
  lines.push('| Target | limit | measured | |', '|---|---|---|---|');
  for (const t of r.targets) lines.push(`| ${t.name} | ${t.limit} | ${t.value} | ${t.met ? 'met' : 'MISSED'} |`);
  return lines.join('\n');
}

export function targets(r: Omit<BenchResults, 'targets'>): Target[] {
  const p99 = Math.max(r.inProcess.zipf.service.p99, r.inProcess.uniform.service.p99);
  const batch = r.http.find((h) => h.name === 'batch of 50');
  const log = r.journal?.logOn.decisionCost;
  const logCheck = r.journal?.logOn.permissionCost;
  const ratio = (name: string, value: number | undefined): Target => ({
    name: `HTTP ratio decision / no-op, 32 conns, ${name}`,
    limit: '>= 0.80',
    value: value === undefined ? 'not measured' : n(value, 2),
    met: value !== undefined && value >= 0.8,
  });
  const search = (kind: string): Target => {
    const s = r.search.find((x) => x.name.startsWith(kind));
    return { name: `${kind} p50`, limit: '<= 20 ms', value: s ? ms(s.latencyMs.p50) : 'not measured', met: s !== undefined && s.latencyMs.p50 <= 20 };
  };
  return [
    ...(log === undefined
      ? []
      : [{ name: 'decision log cost per resource decision (CPU, vs log off)', limit: '<= 10%', value: `${n(log * 100, 1)}%`, met: log <= 0.1 }]),
    ...(logCheck === undefined
      ? []
      : [{ name: 'decision log cost per permission check (CPU, vs log off)', limit: '<= 10%', value: `${n(logCheck * 100, 1)}%`, met: logCheck <= 0.1 }]),
    { name: 'in-process decision p99 (worse of Zipf, uniform)', limit: '<= 250 µs', value: us(p99), met: p99 <= 250 },
    ratio('Zipf', r.ratio),
    ratio('uniform', r.ratioUniform),
    { name: 'batch of 50, server time (HTTP median)', limit: '<= 2 ms', value: ms((batch?.serverP50Us ?? 0) / 1000), met: (batch?.serverP50Us ?? Infinity) <= 2000 },
    { name: 'cold start to first correct answer', limit: '<= 5 s', value: ms(r.coldStart.ms), met: r.coldStart.ms <= 5000 },
    { name: 'server RSS after load (batches of 50 included)', limit: '<= 250 MB', value: `${n(r.rssBytes / 1048576)} MB`, met: r.rssBytes <= 250 * 1048576 },
    search('subject search'),
    search('resource search'),
  ];
}

/** RSS by part: V8's heap (committed, in use, by space) and what is outside it (node, code, buffers). */
function heapParts(rss: number, heap: NonNullable<BenchResults['heapAfterLoad']>): string {
  const mb = (b: number) => `${n(b / 1048576)} MB`;
  const names: Record<string, string> = { new_space: 'new', old_space: 'old', large_object_space: 'large objects', code_space: 'code' };
  const spaces = Object.entries(names).map(([space, name]) => `${name} ${mb(heap.spacesBytes[space] ?? 0)}`).join(', ');
  return `V8 heap ${mb(heap.totalBytes)} committed, ${mb(heap.usedBytes)} in use: ${spaces}; outside the heap ${mb(rss - heap.totalBytes)}`;
}
