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

export class PolicyValidationError extends Error {
  constructor(
    message: string,
    readonly source?: string,
  ) {
    super(source ? `${source}: ${message}` : message);
    this.name = 'PolicyValidationError';
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
