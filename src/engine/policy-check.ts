/**
 * Checks a policy the way a reload does (same parser, same Engine.build: shapes, effects, every
 * condition compiled, every section probed against the model) without loading it anywhere, and
 * reports every problem rather than the first. Used by `portcullis policy check` and by the
 * impact of a draft (POST /v1/policy/impact).
 */
import { Engine } from './engine.js';
import { parsePolicyTexts, type PolicyTexts } from './policy-files.js';
import { PolicyValidationError, type PolicyProblem, type PolicyRule } from './policy-rule.js';
import { RoleGraph } from './role-graph.js';

export interface PolicyCheck {
  /** Every row that parsed, files first (in name order), then `extra`. */
  readonly rules: readonly PolicyRule[];
  readonly files: readonly string[];
  /** Empty when the policy loads. Sorted by file, then line. */
  readonly problems: readonly PolicyProblem[];
}

/**
 * `texts`: the policy files by name; `extra`: rows loaded after them (rules stored at run time).
 * `label` prefixes each row's source (`policies/<file>:<line>` on the server).
 */
export async function checkPolicy(
  modelText: string,
  texts: PolicyTexts,
  options: { readonly extra?: readonly PolicyRule[]; readonly label?: string } = {},
): Promise<PolicyCheck> {
  const parsed = parsePolicyTexts(texts, options.label);
  const rules = [...parsed.rules, ...(options.extra ?? [])];
  const problems = [...parsed.problems];
  try {
    await new Engine(new RoleGraph(), modelText, { load: async () => ({ rules, files: parsed.files }) }).build(rules);
  } catch (err) {
    if (err instanceof PolicyValidationError) problems.push(...err.problems);
    else problems.push({ message: `the model does not load these rows: ${(err as Error).message}` });
  }
  return { rules, files: parsed.files, problems: problems.sort(byPlace) };
}

/** Orders problems by file name, then line number; problems without a place come first. */
function byPlace(a: PolicyProblem, b: PolicyProblem): number {
  const [fa, la] = place(a);
  const [fb, lb] = place(b);
  return fa === fb ? la - lb : fa < fb ? -1 : 1;
}

function place(p: PolicyProblem): [string, number] {
  const m = p.source ? /^(.*):(\d+)$/.exec(p.source) : null;
  return m ? [m[1]!, Number(m[2])] : [p.source ?? '', 0];
}
