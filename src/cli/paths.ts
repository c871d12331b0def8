/**
 * Where the CLI finds the model and the policy directory when not told: as the server does
 * (PORTCULLIS_MODEL / PORTCULLIS_POLICY_DIR, else `model.conf` / `policies` in the working
 * directory), and for the model, the one shipped with Portcullis when the working directory has
 * none (an installed package run from elsewhere).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../config/package-root.js';
import type { CliIo } from './verb.js';

export function modelPath(io: CliIo, given: string | undefined): string {
  if (given) return path.resolve(io.cwd, given);
  if (io.env.PORTCULLIS_MODEL) return path.resolve(io.cwd, io.env.PORTCULLIS_MODEL);
  const local = path.resolve(io.cwd, 'model.conf');
  return existsSync(local) ? local : path.join(packageRoot(), 'model.conf');
}

export function policyDir(io: CliIo, given: string | undefined): string {
  return path.resolve(io.cwd, given ?? io.env.PORTCULLIS_POLICY_DIR ?? 'policies');
}

/** How a path is shown in messages: relative to the working directory when inside it. */
export function shown(io: CliIo, p: string): string {
  const rel = path.relative(io.cwd, p);
  if (rel === '') return '.';
  return !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}
