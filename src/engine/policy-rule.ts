/**
 * A policy row as the engine keeps it: Casbin's section name, its values, and where it came from
 * (`policies/<file>.csv:<line>` or `store`), so a decision can cite the line that decided it.
 */
export type PolicyType = 'p' | 'p2' | 'p3';

export interface PolicyRule {
  readonly ptype: PolicyType;
  /** Four values (p: a fifth, its optional condition): see model.conf for what each column means. */
  readonly values: readonly string[];
  readonly source: string;
}

export const POLICY_TYPES: readonly PolicyType[] = ['p', 'p2', 'p3'];

/** One thing wrong with the policy: what, and where (`<file>:<line>`) when a row is at fault. */
export interface PolicyProblem {
  readonly source?: string;
  readonly message: string;
}

/** `file:line: message`, or the message alone when no row is at fault. */
export const describeProblem = (p: PolicyProblem): string => (p.source ? `${p.source}: ${p.message}` : p.message);

/** The policy does not load. `problems` lists every fault found, in file and line order. */
export class PolicyValidationError extends Error {
  readonly problems: readonly PolicyProblem[];

  /** One problem (a message, and the row at fault when there is one), or several. */
  constructor(problem: string | readonly PolicyProblem[], source?: string) {
    const problems = typeof problem === 'string' ? [source ? { source, message: problem } : { message: problem }] : problem;
    super(problems.map(describeProblem).join('; '));
    this.name = 'PolicyValidationError';
    this.problems = problems;
  }

  /** Where the first problem is. */
  get source(): string | undefined {
    return this.problems[0]?.source;
  }
}

/** Runs `fn`, turning a PolicyValidationError into problems appended to `into`. */
export function collectProblems<T>(into: PolicyProblem[], fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof PolicyValidationError)) throw err;
    into.push(...err.problems);
    return undefined;
  }
}

/** Checks the shape of one row; semantic checks (conditions compile) happen on the enforcer. */
export function validateRule(ptype: string, values: readonly string[], source: string): PolicyRule {
  if (!POLICY_TYPES.includes(ptype as PolicyType)) {
    const hint = ptype === 'g' ? ' (role links come from grants and implied roles, not policy files)' : '';
    throw new PolicyValidationError(`unknown policy type "${ptype}"; expected p, p2 or p3${hint}`, source);
  }
  const most = ptype === 'p' ? 5 : 4;
  if (values.length < 4 || values.length > most) {
    const expected = ptype === 'p' ? '4 values (and an optional condition)' : '4 values';
    throw new PolicyValidationError(`${ptype} rows take ${expected} after the type, got ${values.length}`, source);
  }
  if (values.some((v) => v.length === 0)) {
    throw new PolicyValidationError('empty value (use * for "any")', source);
  }
  const eft = values[3];
  if (eft !== 'allow' && eft !== 'deny') {
    throw new PolicyValidationError(`effect must be "allow" or "deny", got "${eft}"`, source);
  }
  return { ptype: ptype as PolicyType, values: [...values], source };
}

export function ruleKey(ptype: string, values: readonly string[]): string {
  return `${ptype}\u0000${values.join('\u0000')}`;
}
