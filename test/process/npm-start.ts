/**
 * Runs `npm start` as a real process tree (npm → node dist/src/main.js, built by prestart when
 * stale) on a free port, and finds the server's port and pid in its log. For tests of what only
 * a real process shows: signals, exit, connection handling, the README as a newcomer runs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface StartedServer {
  readonly npm: ChildProcess;
  readonly port: number;
  /** The node server's pid (npm's child). */
  readonly pid: number;
  readonly url: string;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with npm's exit code (or signal) once it exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILLs whatever is left (for afterAll). */
  kill(): void;
}

/** `env` is laid over the test's environment; a variable given as undefined is left out. */
export async function npmStart(env: Record<string, string | undefined>, timeoutMs = 240_000): Promise<StartedServer> {
  const npm = spawn('npm', ['start'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', PORTCULLIS_POLICY_WATCH: 'false', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  npm.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  npm.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    npm.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + timeoutMs;
  let listening: RegExpMatchArray | null = null;
  while (!listening) {
    if (npm.exitCode !== null) throw new Error(`npm start exited (${npm.exitCode}):\n${out}`);
    if (Date.now() > deadline) {
      npm.kill('SIGKILL');
      throw new Error(`npm start did not listen within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
    listening = /"port":(\d+),"pid":(\d+).*Portcullis listening/.exec(out);
  }
  const port = Number(listening[1]);
  const pid = Number(listening[2]);
  return {
    npm,
    port,
    pid,
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    exited,
    kill() {
      for (const p of [pid, npm.pid]) {
        try {
          if (p) process.kill(p, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
  };
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
