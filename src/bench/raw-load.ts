/**
 * HTTP/1.1 load generators that write prebuilt bytes on keep-alive sockets and read only each
 * response's status line and Content-Length, a few µs a request:
 *   closedLoopOn  keeps the server saturated: each connection sends its next request as soon as
 *                 the previous response has arrived (the decision / no-op ratio's runs, which
 *                 take turns on one set of open connections, RawConnections);
 *   fixedRate     sends requests on a fixed schedule and times each from when it was due, not
 *                 from when a connection was free to send it (no coordinated omission, as wrk2).
 *
 * Why not autocannon for these: on this machine's one core for the load generator, autocannon
 * (its HTTP parser is JavaScript) spends ~100 µs a request and is the bottleneck at ~8-10k
 * requests/s, with the server ~60-70% busy. Its throughput then measures both processes and hides
 * part of what the server spends; at a fixed rate it fell behind the schedule (run AD: 4,968 of
 * 6,096 requests/s) and reported its own queue as a p99 of ~0.9 s.
 */
import net from 'node:net';
import { summarize, type Summary } from './histogram.js';

export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

export interface RawLoadResult {
  /** Responses received, those in flight at the deadline included. */
  readonly requests: number;
  /** Responses whose status was not 2xx. */
  readonly non2xx: number;
  readonly seconds: number;
}

export interface FixedRateResult extends RawLoadResult {
  /** Each response's latency from when its request was due, µs. */
  readonly latencyUs: Summary;
  /** How long after it was due each request left, µs: the timer's granularity, waits for a free connection, the generator's own stalls. */
  readonly lateUs: Summary;
}

/** The request's bytes as they go on the wire. */
function wire(host: string, headers: Record<string, string>, r: RawRequest): Buffer {
  const body = r.body ?? '';
  const lines = [`${r.method} ${r.path} HTTP/1.1`, `host: ${host}`];
  for (const [k, v] of Object.entries({ ...headers, ...r.headers })) lines.push(`${k}: ${v}`);
  lines.push(`content-length: ${Buffer.byteLength(body)}`, '', body);
  return Buffer.from(lines.join('\r\n'));
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length: *(\d+)/i;

/** What a run does with the connections: it sends on them (`send`), as it starts and as answers come. */
interface Driver {
  start(send: Send): void;
  /** `ok`: a 2xx status. */
  answered(c: number, ok: boolean, send: Send): void;
  /** The deadline has passed: nothing more is sent (a call to `send` is ignored from now on). */
  stopped?(): void;
}

type Send = (c: number, request: Buffer) => void;

/**
 * Keep-alive sockets that runs of load take turns on: a run sends until its deadline, then its
 * answers in flight are let in, and the next run starts on the same sockets with nothing pending
 * (so runs of different workloads can alternate quickly, without connecting again). Responses
 * must carry Content-Length (Koa sets it for the bodies the bench serves); a chunked response
 * fails the run.
 */
export class RawConnections {
  private readonly busy: boolean[];
  private driver: Driver | undefined;
  private sending = false;
  private inFlight = 0;
  private lastAnswer = 0n;
  private settle: ((err?: Error) => void) | undefined;
  private failure: Error | undefined;
  private closing = false;

  private constructor(
    private readonly sockets: net.Socket[],
    readonly host: string,
    private readonly headers: Record<string, string>,
  ) {
    this.busy = sockets.map(() => false);
    sockets.forEach((socket, c) => this.listen(socket, c));
  }

  static async open(url: string, headers: Record<string, string>, connections: number): Promise<RawConnections> {
    const { hostname, port, host } = new URL(url);
    const sockets = await Promise.all(
      Array.from({ length: connections }, () => new Promise<net.Socket>((resolve, reject) => {
        const socket = net.connect({ host: hostname, port: Number(port), noDelay: true }, () => resolve(socket));
        socket.once('error', reject);
      })),
    );
    return new RawConnections(sockets, host, headers);
  }

  get count(): number {
    return this.sockets.length;
  }

  /** The requests' bytes as they go on the wire, with the connections' headers. */
  prepare(requests: readonly RawRequest[]): Buffer[] {
    return requests.map((r) => wire(this.host, this.headers, r));
  }

  /**
   * Runs `driver` for `seconds`; resolves once the last answer is in, with the time from the start
   * to it (to the deadline if nothing was in flight then).
   */
  run(driver: Driver, seconds: number): Promise<{ seconds: number }> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.driver) return Promise.reject(new Error('a run is in progress on these connections'));
    const started = process.hrtime.bigint();
    let deadline = started;
    this.lastAnswer = started;
    this.driver = driver;
    this.sending = true;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        deadline = process.hrtime.bigint();
        this.sending = false;
        driver.stopped?.();
        if (this.inFlight === 0) this.settle!();
      }, seconds * 1000);
      this.settle = (err) => {
        clearTimeout(timer);
        this.driver = undefined;
        this.settle = undefined;
        if (err) reject(err);
        else resolve({ seconds: Number((this.lastAnswer > deadline ? this.lastAnswer : deadline) - started) / 1e9 });
      };
      driver.start(this.send);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.sockets.map((s) => new Promise<void>((resolve) => (s.destroyed ? resolve() : s.end(resolve)))));
  }

  private readonly send: Send = (c, request) => {
    if (!this.sending || this.busy[c]) return;
    this.busy[c] = true;
    this.inFlight++;
    this.sockets[c]!.write(request);
  };

  private fail(err: Error): void {
    this.failure ??= err;
    for (const s of this.sockets) s.destroy();
    this.settle?.(err);
  }

  private listen(socket: net.Socket, c: number): void {
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        const headEnd = pending.indexOf(CRLFCRLF);
        if (headEnd < 0) return;
        const head = pending.toString('latin1', 0, headEnd);
        const length = CONTENT_LENGTH.exec(head);
        if (!length) return this.fail(new Error(`a response without Content-Length: ${head.split('\r\n')[0]}`));
        const total = headEnd + 4 + Number(length[1]);
        if (pending.length < total) return;
        const ok = pending[9] === 50; // '2', the status line's first digit
        pending = pending.subarray(total);
        this.busy[c] = false;
        this.inFlight--;
        this.lastAnswer = process.hrtime.bigint();
        this.driver?.answered(c, ok, this.send);
        if (!this.sending && this.inFlight === 0) this.settle?.();
      }
    });
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => {
      if (!this.closing) this.fail(new Error('the server closed a connection'));
    });
  }
}

/** A closed loop over `bufs`: each connection sends its next request as soon as its answer is in; connection i starts at request i. */
function closedLoopDriver(bufs: readonly Buffer[], connections: number, result: { requests: number; non2xx: number }): Driver {
  const next = Array.from({ length: connections }, (_, c) => c % bufs.length);
  const sendNext = (c: number, send: Send) => {
    send(c, bufs[next[c]!]!);
    next[c] = (next[c]! + 1) % bufs.length;
  };
  return {
    start(send) {
      for (let c = 0; c < connections; c++) sendNext(c, send);
    },
    answered(c, ok, send) {
      result.requests++;
      if (!ok) result.non2xx++;
      sendNext(c, send);
    },
  };
}

/**
 * `seconds` of saturating load over prepared requests on open connections; the answers in flight
 * at the deadline count, and the time runs to the last of them.
 */
export async function closedLoopOn(connections: RawConnections, bufs: readonly Buffer[], seconds: number): Promise<RawLoadResult> {
  const result = { requests: 0, non2xx: 0 };
  const run = await connections.run(closedLoopDriver(bufs, connections.count, result), seconds);
  return { ...result, seconds: run.seconds };
}

/**
 * Runs `seconds` of load at `rate` requests a second over `connections` sockets, walking the list
 * in order. Request k is due at k / rate s after the start; every millisecond (Node's timer
 * granularity), and as each answer comes in, the requests due by then go out on free
 * connections, and those due with none free wait their turn. A request's latency counts from
 * when it was due, so its wait and the timer's up to ~1 ms count in it; how late each left is
 * reported apart (`lateUs`). A server that keeps up answers each in about its own time; one that
 * does not shows a growing queue. (Turning the event loop without
 * pause instead kept the load generator's core busy, and on this 2-core machine, with other work
 * running, slowed the server: 3,036 of 5,310 requests/s sent.)
 */
export async function fixedRate(
  url: string,
  headers: Record<string, string>,
  requests: readonly RawRequest[],
  o: { connections: number; seconds: number; rate: number },
): Promise<FixedRateResult> {
  const connections = await RawConnections.open(url, headers, o.connections);
  const bufs = connections.prepare(requests);
  const latencies: number[] = [];
  let non2xx = 0;
  const free: number[] = Array.from({ length: o.connections }, (_, c) => c);
  /** When each connection's request in flight was due, ms since the start. */
  const dueAt = new Float64Array(o.connections);
  let next = 0;
  let startNs = 0n;
  let ticker: NodeJS.Timeout | undefined;
  let stopped = false;
  const late: number[] = [];
  const elapsedMs = () => Number(process.hrtime.bigint() - startNs) / 1e6;
  const dispatch = (send: Send) => {
    if (stopped) return; // past the deadline nothing more is sent, so nothing is counted late
    const now = elapsedMs();
    while (free.length > 0 && (next * 1000) / o.rate <= now) {
      const c = free.pop()!;
      dueAt[c] = (next * 1000) / o.rate;
      late.push((now - dueAt[c]!) * 1000);
      send(c, bufs[next % bufs.length]!);
      next++;
    }
  };
  try {
    const run = await connections.run(
      {
        start(send) {
          startNs = process.hrtime.bigint();
          ticker = setInterval(() => dispatch(send), 1);
        },
        answered(c, ok, send) {
          latencies.push((elapsedMs() - dueAt[c]!) * 1000);
          if (!ok) non2xx++;
          free.push(c);
          dispatch(send);
        },
        stopped() {
          stopped = true;
          clearInterval(ticker);
        },
      },
      o.seconds,
    );
    return { requests: latencies.length, non2xx, seconds: run.seconds, latencyUs: summarize(latencies), lateUs: summarize(late) };
  } finally {
    clearInterval(ticker);
    await connections.close();
  }
}
