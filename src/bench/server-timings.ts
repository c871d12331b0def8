/**
 * Server-side measurement for the bench server: time from the request event to the response's
 * 'finish', per path, plus process CPU time, RSS and event-loop delay over a window.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { summarize, type Summary } from './histogram.js';

export interface ServerCpu {
  readonly cpuUserMs: number;
  readonly cpuSystemMs: number;
}

export interface ServerStats extends ServerCpu {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** Where RSS goes: V8's heap as committed, each space's committed size, memory outside the heap. */
  readonly heapTotalBytes: number;
  readonly heapSpacesBytes: Record<string, number>;
  readonly externalBytes: number;
  readonly eventLoopDelayP99Ms: number;
  /** path → server-side durations in microseconds since the last reset. */
  readonly serverUs: Record<string, Summary>;
}

export class ServerTimings {
  private durations = new Map<string, number[]>();
  private readonly loop = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.loop.enable();
  }

  /** Wraps a Node request handler so each request's server time is recorded. */
  wrap(handler: (req: IncomingMessage, res: ServerResponse) => void) {
    return (req: IncomingMessage, res: ServerResponse) => {
      const started = process.hrtime.bigint();
      const path = (req.url ?? '').split('?')[0]!;
      res.once('finish', () => {
        if (path === '/bench/stats' || path === '/bench/reset' || path === '/bench/cpu') return;
        const us = Number(process.hrtime.bigint() - started) / 1e3;
        (this.durations.get(path) ?? this.durations.set(path, []).get(path)!).push(us);
      });
      handler(req, res);
    };
  }

  reset(): void {
    this.durations = new Map();
    this.loop.reset();
  }

  /** Process CPU time so far (all threads), ms. */
  cpu(): ServerCpu {
    const cpu = process.cpuUsage();
    return { cpuUserMs: cpu.user / 1e3, cpuSystemMs: cpu.system / 1e3 };
  }

  snapshot(): ServerStats {
    const mem = process.memoryUsage();
    return {
      ...this.cpu(),
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      heapTotalBytes: mem.heapTotal,
      heapSpacesBytes: Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.physical_space_size])),
      externalBytes: mem.external,
      eventLoopDelayP99Ms: this.loop.percentile(99) / 1e6,
      serverUs: Object.fromEntries([...this.durations].map(([path, d]) => [path, summarize(d)])),
    };
  }
}
