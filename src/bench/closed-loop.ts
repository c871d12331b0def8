/**
 * A closed-loop HTTP/1.1 load generator that keeps the server saturated: `connections` keep-alive
 * sockets, each sending its next request as soon as the previous response has arrived.
 *
 * Why not autocannon here: on this machine's one core for the load generator, autocannon (its
 * HTTP parser is JavaScript) spends ~100 µs a request and is the bottleneck at ~8-10k requests/s,
 * with the server ~60-70% busy. Its throughput then measures both processes, and hides part of
 * what the server spends. This client writes prebuilt bytes and reads only the status line and
 * Content-Length, a few µs a request, so the server is the one that is saturated.
 */
import net from 'node:net';

export interface ClosedLoopRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

export interface ClosedLoopResult {
  /** Responses received before the deadline. */
  readonly requests: number;
  /** Responses whose status was not 2xx. */
  readonly non2xx: number;
  readonly seconds: number;
}

/** The request's bytes as they go on the wire. */
function wire(host: string, headers: Record<string, string>, r: ClosedLoopRequest): Buffer {
  const body = r.body ?? '';
  const lines = [`${r.method} ${r.path} HTTP/1.1`, `host: ${host}`];
  for (const [k, v] of Object.entries({ ...headers, ...r.headers })) lines.push(`${k}: ${v}`);
  lines.push(`content-length: ${Buffer.byteLength(body)}`, '', body);
  return Buffer.from(lines.join('\r\n'));
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length: *(\d+)/i;

/**
 * Runs `seconds` of load. Connection i starts at request i and walks the list. Responses must
 * carry Content-Length (Koa sets it for the bodies the bench serves); a chunked response fails the run.
 */
export function closedLoop(
  url: string,
  headers: Record<string, string>,
  requests: readonly ClosedLoopRequest[],
  o: { connections: number; seconds: number },
): Promise<ClosedLoopResult> {
  const { hostname, port, host } = new URL(url);
  const bufs = requests.map((r) => wire(host, headers, r));
  let done = 0;
  let non2xx = 0;
  let open = o.connections;
  let stopping = false;
  const started = process.hrtime.bigint();
  let ended = 0n;
  return new Promise((resolve, reject) => {
    const finish = () => {
      if (--open > 0) return;
      resolve({ requests: done, non2xx, seconds: Number(ended - started) / 1e9 });
    };
    const timer = setTimeout(() => {
      stopping = true;
      ended = process.hrtime.bigint();
    }, o.seconds * 1000);
    for (let c = 0; c < o.connections; c++) {
      let next = c % bufs.length;
      let pending: Buffer = Buffer.alloc(0);
      const socket = net.connect({ host: hostname, port: Number(port), noDelay: true });
      const send = () => {
        socket.write(bufs[next]!);
        next = (next + 1) % bufs.length;
      };
      socket.on('connect', send);
      socket.on('data', (chunk: Buffer) => {
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        for (;;) {
          const headEnd = pending.indexOf(CRLFCRLF);
          if (headEnd < 0) return;
          const head = pending.toString('latin1', 0, headEnd);
          const length = CONTENT_LENGTH.exec(head);
          if (!length) {
            clearTimeout(timer);
            socket.destroy();
            reject(new Error(`a response without Content-Length: ${head.split('\r\n')[0]}`));
            return;
          }
          const total = headEnd + 4 + Number(length[1]);
          if (pending.length < total) return;
          const status = pending[9]! - 48;
          if (!stopping) {
            done++;
            if (status !== 2) non2xx++;
          }
          pending = pending.subarray(total);
          if (stopping) {
            socket.end();
            return;
          }
          send();
        }
      });
      socket.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.on('close', () => {
        if (!stopping) {
          clearTimeout(timer);
          reject(new Error('the server closed a connection during the run'));
          return;
        }
        finish();
      });
    }
  });
}
