/**
 * HTTP load against the bench server with autocannon: keep-alive, no pipelining, a warm-up run,
 * then N measured runs whose median is reported. Server CPU comes from the server's own
 * process.cpuUsage() before and after each run, and server time from its request timings.
 */
import autocannon from 'autocannon';
import { median } from './histogram.js';
import type { ServerStats } from './server-timings.js';

export interface LoadSpec {
  readonly name: string;
  readonly connections: number;
  readonly requests: { method: string; path: string; body?: string; headers?: Record<string, string> }[];
  /** Decisions one request asks for (10 or 50 for batches); writes count as one. */
  readonly decisionsPerRequest: number;
  /** Path whose server-side time is reported. */
  readonly timedPath: string;
  /**
   * Requests a second over all connections (autocannon's overallRate, latencies corrected for
   * coordinated omission); as fast as the server answers when absent.
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
}

async function once(client: BenchClient, spec: LoadSpec, seconds: number) {
  await client.call('POST', '/bench/reset');
  const before = await client.stats();
  const result = await autocannon({
    url: client.url,
    connections: spec.connections,
    duration: seconds,
    pipelining: 1,
    headers: client.headers,
    requests: spec.requests,
    ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
  });
  const after = await client.stats();
  if (result.non2xx || result.errors || result.timeouts) {
    throw new Error(`${spec.name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  const cpuMs = after.cpuUserMs + after.cpuSystemMs - before.cpuUserMs - before.cpuSystemMs;
  const decisions = result.requests.total * spec.decisionsPerRequest;
  const server = after.serverUs[spec.timedPath];
  return {
    rps: result.requests.total / (result.duration || seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    serverP50: server?.p50 ?? 0,
    serverP99: server?.p99 ?? 0,
    cpu: decisions ? (cpuMs / decisions) * 1000 : 0,
    loop: after.eventLoopDelayP99Ms,
  };
}

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
  const runs: Awaited<ReturnType<typeof once>>[][] = specs.map(() => []);
  for (let round = 0; round < o.runs; round++) {
    for (const [i, spec] of specs.entries()) {
      progress(`round ${round + 1}/${o.runs}: ${spec.name}, ${spec.connections} conns`);
      runs[i]!.push(await once(client, spec, o.runSec));
    }
  }
  return specs.map((spec, i) => {
    const m = (f: (r: Awaited<ReturnType<typeof once>>) => number) => median(runs[i]!.map(f));
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
    };
  });
}

/** The decision / no-op ratio of one decision workload, from rounds of short runs (measureRatios). */
export interface RatioResult {
  readonly name: string;
  /** Median over the rounds of the round's decision requests/s over its no-op requests/s. */
  readonly throughput: number;
  /** Median over the rounds of the round's no-op server CPU a request over the decision's. */
  readonly cpu: number;
  /** Each round's throughput ratio, in round order. */
  readonly roundThroughput: readonly number[];
}

/** A decision workload and the no-op asked the same questions (loadSpecs: the same X-Bench-Question). */
export interface RatioPair {
  readonly noop: LoadSpec;
  readonly decision: LoadSpec;
}

/**
 * The decision / no-op ratio, measured apart from the table's rounds, in `rounds` rounds of
 * short runs: each round runs every pair's no-op and decision workload once, `runSec` each, in an
 * order that rotates from round to round, and gives one paired ratio per pair (the decision's
 * run against its no-op's run of the same round). The ratio is the median over the rounds.
 *
 * Why apart, and why short: the machine has episodes, seconds long, in which the pinned server
 * runs two to three times slower whatever it serves (the constant no-op included). In the
 * table's rounds (5 s a workload, seven workloads a round) the no-op's run and the decision's
 * were 5-10 s apart, an episode landed in one of them, and the five rounds' ratios spread from
 * 0.44 to 1.03: the median of five such ratios moved by more than a tenth between runs on the
 * same code. Runs of 2 s side by side meet the same machine far more often, and the median of
 * the paired ratios needs half the rounds to be skewed, the same way, to move (the decision
 * log's cost is measured the same way, journal-worker.ts).
 */
export async function measureRatios(
  client: BenchClient,
  pairs: readonly RatioPair[],
  o: { runSec: number; rounds: number },
  progress: (line: string) => void,
): Promise<RatioResult[]> {
  const specs = pairs.flatMap((p) => [p.noop, p.decision]);
  const runs: Awaited<ReturnType<typeof once>>[][] = specs.map(() => []);
  for (let round = 0; round < o.rounds; round++) {
    progress(`ratio round ${round + 1}/${o.rounds}`);
    for (let k = 0; k < specs.length; k++) {
      const i = (k + round) % specs.length;
      runs[i]!.push(await once(client, specs[i]!, o.runSec));
    }
  }
  return pairs.map((pair, p) => {
    const noopRuns = runs[2 * p]!;
    const own = runs[2 * p + 1]!;
    const roundThroughput = own.map((r, round) => r.rps / noopRuns[round]!.rps);
    return {
      name: pair.decision.name,
      throughput: median(roundThroughput),
      cpu: median(own.map((r, round) => noopRuns[round]!.cpu / r.cpu)),
      roundThroughput,
    };
  });
}
