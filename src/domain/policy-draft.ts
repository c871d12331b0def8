/**
 * A draft of the policy: the files in force with some replaced (an empty text deletes a file in
 * the draft), plus the rules stored at run time, checked the way a reload checks (same parser,
 * same Engine.build). A draft that does not load is refused with 400 and every `file:line:
 * message` in `problems`. The impact of a draft replays the log with it; applying an edit writes it.
 */
import type { Engine } from '../engine/engine.js';
import { checkPolicy, type PolicyCheck } from '../engine/policy-check.js';
import { POLICY_FILE_NAME, readPolicyTexts, type PolicyTexts } from '../engine/policy-files.js';
import { describeProblem } from '../engine/policy-rule.js';
import { badRequest } from '../errors.js';
import type { Stores } from '../store/stores.js';
import { storedRules } from './policy-source.js';

export interface PolicyDraftDeps {
  readonly live: Engine;
  readonly stores: Stores;
  readonly policyDir: string;
}

export interface PolicyDraft {
  /** Every file of the draft, by name. */
  readonly texts: PolicyTexts;
  readonly check: PolicyCheck;
}

/** Throws 400 unless every name is a policy file name (no directories). */
export function requirePolicyFileNames(names: readonly string[]): void {
  const bad = names.filter((name) => !POLICY_FILE_NAME.test(name));
  if (bad.length) throw badRequest(`not a policy file name (expected e.g. "resources.csv", no directories): ${bad.map((n) => JSON.stringify(n)).join(', ')}`);
}

/** The draft and its check, problems included (POST /v1/policy/check answers them as data). */
export async function checkDraft(deps: PolicyDraftDeps, files: Readonly<Record<string, string>>): Promise<PolicyDraft> {
  requirePolicyFileNames(Object.keys(files));
  const texts = new Map(await readPolicyTexts(deps.policyDir));
  for (const [name, text] of Object.entries(files)) {
    if (text === '') texts.delete(name);
    else texts.set(name, text);
  }
  return { texts, check: await checkPolicy(deps.live.modelText, texts, { extra: await storedRules(deps.stores.policyRules) }) };
}

/**
 * The draft, which must load: else 400 with every problem, the message finished by `unlessLoads`
 * ("nothing was replayed", "nothing was written").
 */
export async function draftPolicy(deps: PolicyDraftDeps, files: Readonly<Record<string, string>>, unlessLoads: string): Promise<PolicyDraft> {
  const draft = await checkDraft(deps, files);
  if (draft.check.problems.length) {
    const problems = draft.check.problems.map(describeProblem);
    throw badRequest(`the draft does not load; ${unlessLoads}: ${problems.join('; ')}`, { problems });
  }
  return draft;
}
