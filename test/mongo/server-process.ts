/**
 * Runs Portcullis as a real process (`node --import tsx src/main.ts`: one process, so a signal
 * reaches the server itself; the `tsx` CLI would fork a child that outlives a SIGKILL to its
 * parent) on a free loopback port against a given MongoDB database, for the restart and
 * two-replica tests. The port is read from the "listening" log line; `kill('SIGKILL')` ends it
 * without any shutdown code running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ADMIN_TOKEN, JWT_SECRET } from '../helpers/test-app.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  readonly url: string;
  readonly proc: ChildProcess;
  /** Every stdout/stderr line so far (JSON log lines and the admin-token banner). */
  readonly output: string[];
  /** A JSON request; the admin token unless `options.token` names another credential. */
  json(method: string, urlPath: string, body?: unknown, options?: JsonOptions): Promise<{ status: number; body: any }>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export interface JsonOptions {
  /** Sent as `Authorization: Bearer` (every family accepts it); the admin token by default. */
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

export async function startServer(env: Record<string, string>, timeoutMs = 30000): Promise<ServerProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      PORTCULLIS_ADMIN_TOKEN: ADMIN_TOKEN,
      PORTCULLIS_JWT_SECRET: JWT_SECRET,
      PORTCULLIS_POLICY_WATCH: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${output.join('\n')}`)), timeoutMs);
    for (const stream of [proc.stdout!, proc.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        output.push(line);
        if (line.includes('Portcullis listening')) {
          clearTimeout(timer);
          resolve((JSON.parse(line) as { port: number }).port);
        }
      });
    }
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output.join('\n')}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    proc,
    output,
    async json(method, urlPath, body, options = {}) {
      const res = await fetch(`${url}${urlPath}`, {
        method,
        headers: {
          Authorization: `Bearer ${options.token ?? ADMIN_TOKEN}`,
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...options.headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async kill(signal) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/** AuthZEN question: may `subject` do `action` on `type/id`? Returns the decision. */
export async function decide(
  server: ServerProcess,
  subject: string,
  action: string,
  type: string,
  id: string,
  context?: Record<string, unknown>,
): Promise<boolean> {
  const res = await server.json('POST', '/access/v1/evaluation', {
    subject: { type: 'user', id: subject },
    action: { name: action },
    resource: { type, id },
    ...(context ? { context } : {}),
  });
  if (res.status !== 200) throw new Error(`evaluation answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.decision as boolean;
}

/** Requires MONGODB_URI (test/mongo is only collected when it is set; see vitest.config.ts). */
export function mongoUri(): string {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('test/mongo needs MONGODB_URI');
  return uri;
}
