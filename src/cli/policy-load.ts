/** Loads and checks a policy directory for the `policy` verbs, with the server's code (policy-check.ts). */
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { checkPolicy, type PolicyCheck } from '../engine/policy-check.js';
import { readPolicyTexts, type PolicyTexts } from '../engine/policy-files.js';
import { describeProblem } from '../engine/policy-rule.js';
import { modelPath, policyDir, shown } from './paths.js';
import { UsageError, type CliIo } from './verb.js';

export interface LoadedPolicy {
  readonly dir: string;
  readonly model: string;
  readonly modelText: string;
  readonly texts: PolicyTexts;
  readonly check: PolicyCheck;
}

/** The policy directory named (or the default), which must exist. */
export function existingPolicyDir(io: CliIo, dirArg: string | undefined): string {
  const dir = policyDir(io, dirArg);
  if (!isDirectory(dir)) throw new UsageError(`${shown(io, dir)} is not a directory`);
  return dir;
}

export async function loadPolicy(io: CliIo, dirArg: string | undefined, modelArg: string | undefined): Promise<LoadedPolicy> {
  const dir = existingPolicyDir(io, dirArg);
  const model = modelPath(io, modelArg);
  let modelText: string;
  try {
    modelText = await readFile(model, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the model ${shown(io, model)}: ${(err as Error).message}`);
  }
  const texts = await readPolicyTexts(dir);
  const label = shown(io, dir);
  const check = await checkPolicy(modelText, texts, { label: label === '.' ? '' : label });
  return { dir, model, modelText, texts, check };
}

/** Prints each problem as `file:line: message`; true when there were any. */
export function reportProblems(io: CliIo, loaded: LoadedPolicy): boolean {
  const { problems } = loaded.check;
  for (const p of problems) io.out(`${describeProblem(p)}\n`);
  if (problems.length) {
    io.err(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${shown(io, loaded.dir)} (model ${shown(io, loaded.model)})\n`);
  }
  return problems.length > 0;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
