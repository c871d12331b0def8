/**
 * What the profiling aids (profile-http.ts, profile-ab.ts) share: the workloads they time, the
 * bench server they start and how they load it. Not used by `npm run bench` (cli.ts), whose
 * workloads and server are its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { buildOracle } from './build.js';
import type { SizeName } from './dataset-types.js';
import { BenchClient, type LoadSpec } from './http-load.js';
import { evaluationBody, makeQuestions } from './requests.js';
import { batches, loadSpecs, setNoopAnswers } from './workloads.js';

const TOKEN = 'bench-admin-token-0123456789abcdef';

export interface ProfileWorkload {
  readonly name: string;
  readonly conns: number;
  /** Decisions a request asks for. */
  readonly per: number;
  readonly reqs: LoadSpec['requests'];
  /** What the server needs before this workload runs (the no-op: its answers). */
  readonly setup?: (client: BenchClient) => Promise<void>;
}

/** no-op, single evaluation (Zipf, uniform) at 32 connections, batch of 50 at 8, over the dataset's questions. */
export function profileWorkloads(size: SizeName): ProfileWorkload[] {
  const { ds, oracle } = buildOracle(size);
  const zipf = makeQuestions(ds, oracle, 2000, 'zipf', 20261123);
  const uniform = makeQuestions(ds, oracle, 2000, 'uniform', 20261124);
  const post = (p: string, body: unknown) => ({ method: 'POST', path: p, body: JSON.stringify(body) });
  // The no-op answers the Zipf questions (as the requests name them); the uniform workload is
  // compared with it too, though its answers are lighter (fewer two-byte role paths).
  const [zipfNoop, , zipfSingle] = loadSpecs(zipf);
  const uniformSingle = loadSpecs(uniform, zipf.length)[2]!;
  return [
    { name: 'no-op', conns: 32, per: 1, reqs: zipfNoop!.requests, setup: (client) => setNoopAnswers(client, [...zipf, ...uniform]) },
    { name: 'single, Zipf', conns: 32, per: 1, reqs: zipfSingle!.requests },
    { name: 'single, uniform', conns: 32, per: 1, reqs: uniformSingle.requests },
    {
      name: 'batch of 50',
      conns: 8,
      per: 50,
      reqs: batches(zipf, 50).map((b) => post('/access/v1/evaluations', { evaluations: b.map(evaluationBody) })),
    },
  ];
}

export interface ProfiledServer {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly client: BenchClient;
}

/**
 * Starts a bench server (`argv`: the command, e.g. node and its entry, maybe under taskset or
 * valgrind) over the dataset of `size`; `onLine` sees every other line the server prints on stdout.
 */
export async function startProfiledServer(o: {
  argv: readonly string[];
  size: SizeName;
  env?: Record<string, string>;
  quietStderr?: boolean;
  onLine?: (line: string) => void;
}): Promise<ProfiledServer> {
  const child = spawn(o.argv[0]!, o.argv.slice(1), {
    env: { ...process.env, ...o.env, BENCH_SIZE: o.size, HOST: '127.0.0.1', PORT: '0', PORTCULLIS_ADMIN_TOKEN: TOKEN, PORTCULLIS_POLICY_WATCH: 'false', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', o.quietStderr ? 'ignore' : 'inherit'],
  });
  const ready = await new Promise<{ port: number; pid: number }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{"ready"')) resolve(JSON.parse(line));
      else o.onLine?.(line);
    });
  });
  child.removeAllListeners('exit');
  return { child, pid: ready.pid, client: new BenchClient(`http://127.0.0.1:${ready.port}`, TOKEN) };
}

/** `amount` requests of the workload, keep-alive, no pipelining. */
export function runWorkload(client: BenchClient, w: ProfileWorkload, amount: number) {
  return autocannon({ url: client.url, connections: w.conns, amount, pipelining: 1, headers: client.headers, requests: w.reqs, timeout: 600 });
}
