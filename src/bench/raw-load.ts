/**
 * HTTP/1.1 load generators that write prebuilt bytes on keep-alive sockets and read only each
 * response's status line and Content-Length, a few µs a request:
 *   closedLoop  keeps the server saturated: each connection sends its next request as soon as
 *               the previous response has arrived (the decision / no-op ratio's runs);
 *   fixedRate   sends requests on a fixed schedule and times each from when it was due, not from
 *               when a connection was free to send it (no coordinated omission, as wrk2 does).
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
  /** Responses received before the deadline. */
  readonly requests: number;
  /** Responses whose status was not 2xx. */
  readonly non2xx: number;
  readonly seconds: number;
}

export interface FixedRateResult extends RawLoadResult {
  /** Each response's latency from when its request was due, µs. */
  readonly latencyUs: Summary;
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

/** What a run does with its connections: when one is open, and when one has its answer. */
interface Driver {
  connected(c: number): void;
  /** `ok`: a 2xx status. */
  answered(c: number, ok: boolean): void;
}

/**
 * `connections` keep-alive sockets for `seconds`; `driver` sends on them (the returned `send`).
 * Answers that arrive after the deadline are not passed on; each socket is then closed as its
 * last answer arrives. Responses must carry Content-Length (Koa sets it for the bodies the bench
 * serves); a chunked response fails the run.
 */
function runSockets(
  url: string,
  connections: number,
  seconds: number,
  driver: (send: (c: number, request: Buffer) => void) => Driver,
): Promise<{ seconds: number }> {
  const { hostname, port } = new URL(url);
  const sockets: net.Socket[] = [];
  const busy: boolean[] = [];
  let open = connections;
  let stopping = false;
  const started = process.hrtime.bigint();
  let ended = 0n;
  const send = (c: number, request: Buffer) => {
    if (stopping) return; // past the deadline: the socket is closing
    busy[c] = true;
    sockets[c]!.write(request);
  };
  const d = driver(send);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stopping = true;
      ended = process.hrtime.bigint();
      for (let c = 0; c < connections; c++) if (!busy[c]) sockets[c]!.end();
    }, seconds * 1000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      for (const s of sockets) s.destroy();
      reject(err);
    };
    for (let c = 0; c < connections; c++) {
      let pending: Buffer = Buffer.alloc(0);
      const socket = net.connect({ host: hostname, port: Number(port), noDelay: true });
      sockets.push(socket);
      busy.push(false);
      socket.on('connect', () => d.connected(c));
      socket.on('data', (chunk: Buffer) => {
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        for (;;) {
          const headEnd = pending.indexOf(CRLFCRLF);
          if (headEnd < 0) return;
          const head = pending.toString('latin1', 0, headEnd);
          const length = CONTENT_LENGTH.exec(head);
          if (!length) return fail(new Error(`a response without Content-Length: ${head.split('\r\n')[0]}`));
          const total = headEnd + 4 + Number(length[1]);
          if (pending.length < total) return;
          const ok = pending[9] === 50; // '2', the status line's first digit
          pending = pending.subarray(total);
          busy[c] = false;
          if (stopping) {
            socket.end();
            return;
          }
          d.answered(c, ok);
        }
      });
      socket.on('error', fail);
      socket.on('close', () => {
        if (!stopping) return fail(new Error('the server closed a connection during the run'));
        if (--open === 0) resolve({ seconds: Number(ended - started) / 1e9 });
      });
    }
  });
}

/** Runs `seconds` of saturating load. Connection i starts at request i and walks the list. */
export async function closedLoop(
  url: string,
  headers: Record<string, string>,
  requests: readonly RawRequest[],
  o: { connections: number; seconds: number },
): Promise<RawLoadResult> {
  const bufs = requests.map((r) => wire(new URL(url).host, headers, r));
  let done = 0;
  let non2xx = 0;
  const run = await runSockets(url, o.connections, o.seconds, (send) => {
    const next = Array.from({ length: o.connections }, (_, c) => c % bufs.length);
    const sendNext = (c: number) => {
      send(c, bufs[next[c]!]!);
      next[c] = (next[c]! + 1) % bufs.length;
    };
    return {
      connected: sendNext,
      answered(c, ok) {
        done++;
        if (!ok) non2xx++;
        sendNext(c);
      },
    };
  });
  return { requests: done, non2xx, seconds: run.seconds };
}

/**
 * Runs `seconds` of load at `rate` requests a second over `connections` sockets, walking the list
 * in order. Request k is due at k / rate s after the start; every millisecond the requests due by
 * then go out on free connections, and those due with none free wait their turn, their wait
 * counted in their latency. A server that keeps up answers each in about its own time; one that
 * does not shows a growing queue.
 */
export async function fixedRate(
  url: string,
  headers: Record<string, string>,
  requests: readonly RawRequest[],
  o: { connections: number; seconds: number; rate: number },
): Promise<FixedRateResult> {
  const bufs = requests.map((r) => wire(new URL(url).host, headers, r));
  const latencies: number[] = [];
  let non2xx = 0;
  let ticker: NodeJS.Timeout | undefined;
  const run = await runSockets(url, o.connections, o.seconds, (send) => {
    const free: number[] = [];
    /** When each connection's request in flight was due, ms since the start. */
    const dueAt = new Float64Array(o.connections);
    let next = 0;
    /** The schedule's start: when every connection is open. */
    let startNs = 0n;
    const elapsedMs = () => Number(process.hrtime.bigint() - startNs) / 1e6;
    const dispatch = () => {
      const now = elapsedMs();
      while (free.length > 0 && (next * 1000) / o.rate <= now) {
        const c = free.pop()!;
        dueAt[c] = (next * 1000) / o.rate;
        send(c, bufs[next % bufs.length]!);
        next++;
      }
    };
    return {
      connected(c) {
        free.push(c);
        if (free.length === o.connections && startNs === 0n) {
          startNs = process.hrtime.bigint();
          ticker = setInterval(dispatch, 1);
        }
      },
      answered(c, ok) {
        latencies.push((elapsedMs() - dueAt[c]!) * 1000);
        if (!ok) non2xx++;
        free.push(c);
        dispatch();
      },
    };
  });
  clearInterval(ticker);
  return { requests: latencies.length, non2xx, seconds: run.seconds, latencyUs: summarize(latencies) };
}
