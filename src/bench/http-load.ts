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
  readonly requests: { method: string; path: string; body?: string }[];
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
  /** Requests a second in each measured round, in round order (for ratios paired by round). */
  readonly roundRequestsPerSec: readonly number[];
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
 * workload runs once, so background noise on a shared machine spreads over all of them alike
 * (which matters most for the decision / no-op ratio). Reports the median of the rounds.
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
      roundRequestsPerSec: runs[i]!.map((r) => r.rps),
    };
  });
}

/**
 * Throughput of `a` over `b`, paired by round: the median over the rounds of each round's ratio.
 * The machine has episodes, seconds long, in which the pinned server runs two to three times
 * slower whatever it serves (the constant no-op included); an episode lands in one workload's run
 * and skews that round's ratio, up or down. A ratio of the two workloads' medians lets two such
 * rounds decide; the median of paired ratios needs a majority of the rounds to be skewed.
 */
export function pairedRatio(a: LoadResult, b: LoadResult): number {
  return median(a.roundRequestsPerSec.map((rps, round) => rps / b.roundRequestsPerSec[round]!));
}
