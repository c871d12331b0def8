/**
 * Starts the bench server in its own process (pinned to one core with taskset when there are at
 * least two), and measures cold start: process spawn to the first correct decision over HTTP.
 *
 * By default the server runs as deployed: compiled to JavaScript first (`tsc`, the same build as
 * `npm run build`, into `.bench/dist`; not part of cold start) and run by plain node. `tsx: true`
 * runs the TypeScript through the tsx loader instead (`npm start`'s dev mode), which costs about
 * 75 MB of RSS (a second isolate for the loader thread, transpiled sources and source maps) and
 * several percent of CPU per request.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { FeaturedCase, SizeName } from './dataset-types.js';
import { BenchClient } from './http-load.js';
import { evaluationBody } from './requests.js';

export interface ServerHandle {
  readonly client: BenchClient;
  readonly pid: number;
  readonly coldStartMs: number;
  readonly phasesMs: Record<string, number>;
  readonly pinned: string | null;
  stop(): Promise<void>;
}

let compiledRoot: string | undefined;

/** Compiles the project (as `npm run build` does) into .bench/dist, once a run; returns that directory. */
export function compileProject(): string {
  if (compiledRoot) return compiledRoot;
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const outDir = path.join(root, '.bench', 'dist');
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const built = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json'), '--outDir', outDir], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`tsc failed (exit ${built.status}); cannot build the bench server`);
  compiledRoot = outDir;
  return outDir;
}

/** Compiles the project (once a run); returns the bench server's entry. */
export function compileServer(): string {
  return path.join(compileProject(), 'src', 'bench', 'bench-server.js');
}

/**
 * node's flags for a bench process: --expose-gc, and any given in BENCH_NODE_FLAGS (opt-in, for
 * profiling: e.g. `--trace-gc-nvp`, whose lines go to the server's stdout, which
 * src/bench/profile-http.ts --gc sums per workload).
 */
export function nodeFlags(): string[] {
  return ['--expose-gc', ...(process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean)];
}

/** A bench program, compiled (see compileProject) or, with `tsx`, its TypeScript source through the tsx loader. */
export function benchProgram(name: 'bench-server' | 'journal-worker', tsx: boolean): string[] {
  return tsx
    ? [process.execPath, ...nodeFlags(), '--import', 'tsx', fileURLToPath(new URL(`./${name}.ts`, import.meta.url))]
    : [process.execPath, ...nodeFlags(), path.join(compileProject(), 'src', 'bench', `${name}.js`)];
}

export function hasTaskset(): boolean {
  return spawnSync('taskset', ['--version']).status === 0;
}

export async function startServer(o: {
  size: SizeName;
  seed: number;
  token: string;
  logLevel: string;
  core: number | null;
  probe: FeaturedCase;
  /** Run the TypeScript through tsx instead of the compiled JavaScript (see the module comment). */
  tsx: boolean;
  /** Extra environment (a MongoDB replica: BENCH_STORE, MONGODB_URI, MONGODB_DB). */
  env?: Record<string, string>;
  /** The server is already compiled (a second replica). */
  compiled?: string;
}): Promise<ServerHandle> {
  const node = o.tsx ? benchProgram('bench-server', true) : [process.execPath, ...nodeFlags(), o.compiled ?? compileServer()];
  const argv = o.core === null ? node : ['taskset', '-c', String(o.core), ...node];
  const started = performance.now();
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), {
    env: {
      ...process.env,
      BENCH_SIZE: o.size,
      BENCH_SEED: String(o.seed),
      HOST: '127.0.0.1',
      PORT: '0',
      PORTCULLIS_ADMIN_TOKEN: o.token,
      PORTCULLIS_POLICY_WATCH: 'false',
      LOG_LEVEL: o.logLevel,
      ...o.env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = await new Promise<{ port: number; pid: number; phasesMs: Record<string, number> }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited with code ${code} before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{"ready"')) resolve(JSON.parse(line));
    });
  });
  const client = new BenchClient(`http://127.0.0.1:${ready.port}`, o.token);
  for (;;) {
    const { status, json } = await client.call('POST', '/access/v1/evaluation', evaluationBody({ ...o.probe, subject: o.probe.subject }));
    if (status === 200 && json.decision === o.probe.expected) break;
    if (performance.now() - started > 300_000) throw new Error(`no correct answer within 300 s (last: ${status})`);
  }
  const coldStartMs = performance.now() - started;
  child.removeAllListeners('exit');
  return {
    client,
    pid: ready.pid,
    coldStartMs,
    phasesMs: ready.phasesMs,
    pinned: o.core === null ? null : String(o.core),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
