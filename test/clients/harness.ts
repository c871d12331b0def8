/**
 * What the client-session tests share: where test/clients/setup.sh installed the stock clients,
 * whether they are there, and running a client against the test app without blocking its event
 * loop. Under CI=true a missing client is a failing test (CI installs them first, so absence is a
 * broken install); elsewhere the sessions are skipped with a message naming the install command.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

function paths(): Record<string, string> {
  const out = execFileSync('bash', [join(here, 'setup.sh'), '--paths'], { encoding: 'utf8' });
  return Object.fromEntries(out.trim().split('\n').map((l) => l.split('=', 2) as [string, string]));
}

const found = paths();
/** The Python venv holding openstack, manilaclient and manageiq-client. */
export const VENV = found.PORTCULLIS_CLIENTS_VENV!;
/** The Traffic Ops Go client session program. */
export const TO_SESSION = found.PORTCULLIS_TO_SESSION!;

export const venvReady = existsSync(join(VENV, '.complete'));
export const toSessionReady = existsSync(TO_SESSION);

/**
 * Whether a suite runs: true when its client is installed. When it is not: under CI a test that
 * fails says so; elsewhere a message says how to install it, and the suite is skipped.
 */
export function requireClient(ready: boolean, what: string): boolean {
  if (ready) return true;
  const message = `${what} is not installed: run test/clients/setup.sh (CI runs it before the tests)`;
  if (process.env.CI === 'true') {
    it(`has ${what} installed`, () => expect.fail(message));
  } else {
    console.warn(`*** client session skipped: ${message} ***`);
  }
  return false;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program asynchronously (the app under test serves on this same event loop). */
export function run(file: string, args: readonly string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      [...args],
      { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** Runs a program and expects exit 0; the assertion message carries its output. */
export async function runOk(file: string, args: readonly string[], env: Record<string, string> = {}): Promise<string> {
  const r = await run(file, args, env);
  expect(r.code, `${file} ${args.join(' ')}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(0);
  return r.stdout;
}
