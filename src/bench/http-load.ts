/**
 * HTTP load against the bench server: keep-alive, no pipelining, a warm-up run, then N measured
 * runs whose median is reported. autocannon drives the runs as fast as it can; raw-load.ts drives
 * the fixed-rate runs and the decision / no-op ratio's saturating runs. Server CPU comes from the
 * server's own process.cpuUsage() before and after each run, and server time from its request
 * timings.
 */
import autocannon from 'autocannon';
import { RawConnections, closedLoopOn, fixedRate } from './raw-load.js';
import { median } from './histogram.js';
import type { ServerCpu, ServerStats } from './server-timings.js';

export interface LoadSpec {
  readonly name: string;
  readonly connections: number;
  readonly requests: { method: string; path: string; body?: string; headers?: Record<string, string> }[];
  /** Decisions one request asks for (10 or 50 for batches); writes count as one. */
  readonly decisionsPerRequest: number;
  /** Path whose server-side time is reported. */
  readonly timedPath: string;
  /**
   * Requests a second over all connections, each request's latency counted from when it was due
   * (raw-load.ts fixedRate); as fast as the server answers (autocannon) when absent.
   */
  readonly overallRate?: number;
}

export interface LoadResult {
  readonly name: string;
  readonly connections: number;
  readonly runs: number;
  readonly requestsPerSec: number;
  readonly decisionsPerSec: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly serverP50Us: number;
  readonly serverP99Us: number;
  readonly cpuMsPer1000Decisions: number;
  readonly eventLoopDelayP99Ms: number;
  /** A fixed-rate run's: how late after it was due a request left (p99, ms), counted in its latency. */
  readonly sentLateP99Ms?: number;
}

export class BenchClient {
  constructor(
    readonly url: string,
    private readonly token: string,
  ) {}

  get headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' };
  }

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: this.headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  }

  async stats(): Promise<ServerStats> {
    return (await this.call('GET', '/bench/stats')).json as ServerStats;
  }

  /** Server CPU used so far (user + system), ms. */
  async cpuMs(): Promise<number> {
    const cpu = (await this.call('GET', '/bench/cpu')).json as ServerCpu;
    return cpu.cpuUserMs + cpu.cpuSystemMs;
  }
}

/**
 * Runs `load` in a new measurement window (POST /bench/reset), with the server's stats after it
 * and the server CPU it spent (user + system, ms).
 */
async function inWindow<T>(client: BenchClient, load: () => Promise<T>): Promise<{ result: T; after: ServerStats; cpuMs: number }> {
  await client.call('POST', '/bench/reset');
  const before = await client.stats();
  const result = await load();
  const after = await client.stats();
  return { result, after, cpuMs: after.cpuUserMs + after.cpuSystemMs - before.cpuUserMs - before.cpuSystemMs };
}

/** One run's figures: requests/s, client latency (ms), server time (µs), server CPU per 1,000 decisions (ms). */
interface Run {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly serverP50: number;
  readonly serverP99: number;
  readonly cpu: number;
  readonly loop: number;
  readonly late?: number;
}

/** A run as fast as the server answers, with autocannon. */
async function autocannonRun(client: BenchClient, spec: LoadSpec, seconds: number): Promise<Run> {
  const { result, after, cpuMs } = await inWindow(client, () => autocannon({
    url: client.url,
    connections: spec.connections,
    duration: seconds,
    pipelining: 1,
    headers: client.headers,
    requests: spec.requests,
  }));
  if (result.non2xx || result.errors || result.timeouts) {
    throw new Error(`${spec.name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return runFigures(spec, after, cpuMs, result.requests.total, result.duration || seconds, result.latency.p50, result.latency.p99);
}

/** A run at spec.overallRate requests/s (raw-load.ts fixedRate). */
async function fixedRateRun(client: BenchClient, spec: LoadSpec & { overallRate: number }, seconds: number): Promise<Run> {
  const { result, after, cpuMs } = await inWindow(client, () =>
    fixedRate(client.url, client.headers, spec.requests, { connections: spec.connections, seconds, rate: spec.overallRate }),
  );
  if (result.non2xx) throw new Error(`${spec.name}: ${result.non2xx} non-2xx responses`);
  return { ...runFigures(spec, after, cpuMs, result.requests, result.seconds, result.latencyUs.p50 / 1000, result.latencyUs.p99 / 1000), late: result.lateUs.p99 / 1000 };
}

function runFigures(spec: LoadSpec, after: ServerStats, cpuMs: number, requests: number, seconds: number, p50: number, p99: number): Run {
  const decisions = requests * spec.decisionsPerRequest;
  const server = after.serverUs[spec.timedPath];
  return {
    rps: requests / seconds,
    p50,
    p99,
    serverP50: server?.p50 ?? 0,
    serverP99: server?.p99 ?? 0,
    cpu: decisions ? (cpuMs / decisions) * 1000 : 0,
    loop: after.eventLoopDelayP99Ms,
  };
}

const once = (client: BenchClient, spec: LoadSpec, seconds: number): Promise<Run> =>
  spec.overallRate ? fixedRateRun(client, { ...spec, overallRate: spec.overallRate }, seconds) : autocannonRun(client, spec, seconds);

/**
 * Measures several workloads round-robin: a warm-up of each, then `runs` rounds in which every
 * workload runs once, so background noise on a shared machine spreads over all of them alike.
 * Reports the median of the rounds. (The decision / no-op ratio has a measurement of its own,
 * measureRatios.)
 */
export async function measureLoads(
  client: BenchClient,
  specs: readonly LoadSpec[],
  o: { warmSec: number; runSec: number; runs: number },
  progress: (line: string) => void,
): Promise<LoadResult[]> {
  for (const spec of specs) await once(client, spec, o.warmSec);
  const runs: Run[][] = specs.map(() => []);
  for (let round = 0; round < o.runs; round++) {
    for (const [i, spec] of specs.entries()) {
      progress(`round ${round + 1}/${o.runs}: ${spec.name}, ${spec.connections} conns`);
      runs[i]!.push(await once(client, spec, o.runSec));
    }
  }
  return specs.map((spec, i) => {
    const m = (f: (r: Run) => number) => median(runs[i]!.map(f));
    return {
      name: spec.name,
      connections: spec.connections,
      runs: o.runs,
      requestsPerSec: m((r) => r.rps),
      decisionsPerSec: m((r) => r.rps) * spec.decisionsPerRequest,
      latencyP50Ms: m((r) => r.p50),
      latencyP99Ms: m((r) => r.p99),
      serverP50Us: m((r) => r.serverP50),
      serverP99Us: m((r) => r.serverP99),
      cpuMsPer1000Decisions: m((r) => r.cpu),
      eventLoopDelayP99Ms: m((r) => r.loop),
      ...(spec.overallRate ? { sentLateP99Ms: m((r) => r.late ?? 0) } : {}),
    };
  });
}

/** The decision / no-op ratio of one decision workload, from rounds of short runs (measureRatios). */
export interface RatioResult {
  readonly name: string;
  /** Median over the rounds of the round's decision requests/s over its no-op requests/s. */
  readonly throughput: number;
  /** The no-op's server CPU a request over the decision's, each summed over all its runs. */
  readonly cpu: number;
  /** Each round's throughput ratio, in round order. */
  readonly roundThroughput: readonly number[];
  /** The share of the decision's runs the server spent on CPU, summed over them (1: saturated). */
  readonly serverBusy: number;
  /** Median of the no-op's requests/s in its saturated runs: the server's maximum rate. */
  readonly noopRps: number;
}

/** A decision workload and the no-op asked the same questions (loadSpecs: the same X-Bench-Question). */
export interface RatioPair {
  readonly noop: LoadSpec;
  readonly decision: LoadSpec;
}

interface SaturatedRun {
  readonly requests: number;
  readonly seconds: number;
  /** Server CPU over the run, ms (GET /bench/cpu just before and just after). */
  readonly cpuMs: number;
}

/**
 * The decision / no-op ratio, measured apart from the table's rounds, with a load generator that
 * saturates the server (raw-load.ts closedLoopOn: autocannon, on its one core, left the server
 * 60-70% busy and so measured itself as much as the server). In each of `rounds` rounds every
 * pair's no-op and decision workload run once, `runSec` each, the two of a pair one after the
 * other on the same connections, in an order mirrored every other round (no-op first, then
 * decision first) so that a drift within a round weighs on both alike. Each round gives one
 * paired ratio per pair; the ratio is their median.
 *
 * Why many short rounds: the machine's speed changes by ±30-50% from one run to the next, and
 * only the number of rounds, and runs close together in time, narrow the median. With runs of
 * 1 s (20 rounds of 2 s before that) neighbouring runs' speeds were barely correlated
 * (autocorrelation 0.16 at one run, 2026-11-30); with runs of 0.1 s on connections kept open
 * between them (no connecting, no start-up) a pair's two runs are 0.1 s apart, and in the same
 * time the median's standard error came out about a quarter (0.012 against 0.045, bootstrap, the
 * two kinds of rounds taking turns on one server: docs/benchmarks.md).
 */
export async function measureRatios(
  client: BenchClient,
  pairs: readonly RatioPair[],
  o: { runSec: number; rounds: number; connections: number },
  progress: (line: string) => void,
): Promise<RatioResult[]> {
  const connections = await RawConnections.open(client.url, client.headers, o.connections);
  try {
    const bytes = pairs.map((p) => ({ noop: connections.prepare(p.noop.requests), decision: connections.prepare(p.decision.requests) }));
    let cpuBefore = await client.cpuMs();
    const run = async (bufs: readonly Buffer[], seconds: number): Promise<SaturatedRun> => {
      const r = await closedLoopOn(connections, bufs, seconds);
      if (r.non2xx) throw new Error(`${r.non2xx} non-2xx responses in a ratio run`);
      const cpuAfter = await client.cpuMs();
      const cpuMs = cpuAfter - cpuBefore;
      cpuBefore = cpuAfter;
      return { requests: r.requests, seconds: r.seconds, cpuMs };
    };
    for (const b of bytes) for (let w = 0; w < 5; w++) for (const bufs of [b.noop, b.decision]) await run(bufs, o.runSec);
    const runs = pairs.map(() => ({ noop: [] as SaturatedRun[], decision: [] as SaturatedRun[] }));
    for (let round = 0; round < o.rounds; round++) {
      if (round % 50 === 0) progress(`ratio rounds ${round + 1}-${Math.min(o.rounds, round + 50)} of ${o.rounds}`);
      // A new window each round: the server keeps every request's timing until a reset.
      await client.call('POST', '/bench/reset');
      cpuBefore = await client.cpuMs();
      const mirrored = round % 2 === 1;
      for (let k = 0; k < pairs.length; k++) {
        const p = mirrored ? pairs.length - 1 - k : k;
        const order = mirrored ? (['decision', 'noop'] as const) : (['noop', 'decision'] as const);
        for (const which of order) runs[p]![which].push(await run(bytes[p]![which], o.runSec));
      }
    }
    const sum = (xs: readonly SaturatedRun[], f: (r: SaturatedRun) => number) => xs.reduce((a, r) => a + f(r), 0);
    return pairs.map((pair, p) => {
      const { noop, decision } = runs[p]!;
      const rps = (r: SaturatedRun) => r.requests / r.seconds;
      const roundThroughput = decision.map((r, round) => rps(r) / rps(noop[round]!));
      const cpuPerRequest = (xs: readonly SaturatedRun[]) => sum(xs, (r) => r.cpuMs) / sum(xs, (r) => r.requests);
      return {
        name: pair.decision.name,
        throughput: median(roundThroughput),
        cpu: cpuPerRequest(noop) / cpuPerRequest(decision),
        roundThroughput,
        serverBusy: sum(decision, (r) => r.cpuMs) / 1000 / sum(decision, (r) => r.seconds),
        noopRps: median(noop.map(rps)),
      };
    });
  } finally {
    await connections.close();
  }
}
