/** Runs the `portcullis` command in process, capturing its output and exit code. */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/cli.js';

export const REPO = path.resolve(import.meta.dirname, '../..');

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function cli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; stdin?: string } = {},
): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    out: (t) => (out += t),
    err: (t) => (err += t),
    env: options.env ?? {},
    cwd: options.cwd ?? REPO,
    stdin: async () => options.stdin ?? '',
  });
  return { code, out, err };
}

/** A copy of the shipped policies (and their suites) to edit. */
export function copyPolicies(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-cli-'));
  cpSync(path.join(REPO, 'policies'), dir, { recursive: true });
  return dir;
}
