/**
 * Roles, implied-role rules and grants (docs/compatibility.md §1.2). Uniqueness: (name, domainId) for roles,
 * (prior, implied) for rules, all five fields of a grant.
 */
export interface Role {
  readonly id: string;
  readonly name: string;
  readonly domainId: string | null;
  readonly description: string | null;
  /** Only `immutable` today; always present (possibly empty). */
  readonly options: { readonly immutable?: boolean };
  /** Extra properties a client sent; echoed back at top level. */
  readonly extra: Readonly<Record<string, unknown>>;
}

export interface RoleFilter {
  readonly name?: string;
  /** undefined: any; null: global roles only; string: roles of that domain. */
  readonly domainId?: string | null;
}

export interface RoleStore {
  /** Throws DuplicateError on an existing id or (name, domainId). */
  create(role: Role): Promise<Role>;
  get(id: string): Promise<Role | undefined>;
  list(filter?: RoleFilter): Promise<Role[]>;
  /** Throws DuplicateError on a (name, domainId) clash; undefined when absent. */
  update(role: Role): Promise<Role | undefined>;
  delete(id: string): Promise<boolean>;
}

export interface Inference {
  readonly priorRoleId: string;
  readonly impliedRoleId: string;
}

export interface InferenceStore {
  /**
   * Throws DuplicateError when the rule exists, and InferenceCycleError when it would close a
   * cycle of implied roles. Both are decided by the store itself against the rule set it holds,
   * atomically, so two replicas adding X ⇒ Y and Y ⇒ X at once cannot both succeed.
   */
  add(rule: Inference): Promise<void>;
  remove(rule: Inference): Promise<boolean>;
  has(rule: Inference): Promise<boolean>;
  list(filter?: { priorRoleId?: string }): Promise<Inference[]>;
  /** Removes every rule where the role is prior or implied. */
  removeForRole(roleId: string): Promise<void>;
}

export type ActorType = 'user' | 'group';
export type TargetType = 'project' | 'domain' | 'system';

export interface Grant {
  readonly actorType: ActorType;
  readonly actorId: string;
  readonly targetType: TargetType;
  /** `system` for system grants. */
  readonly targetId: string;
  readonly roleId: string;
  /** OS-INHERIT: applies to the projects below the target, not the target itself. */
  readonly inherited: boolean;
}

export interface GrantFilter {
  readonly actorType?: ActorType;
  readonly actorId?: string;
  readonly targetType?: TargetType;
  readonly targetId?: string;
  readonly roleId?: string;
  readonly inherited?: boolean;
}

export interface GrantStore {
  /** Idempotent: returns false when the grant already existed. */
  add(grant: Grant): Promise<boolean>;
  remove(grant: Grant): Promise<boolean>;
  has(grant: Grant): Promise<boolean>;
  list(filter?: GrantFilter): Promise<Grant[]>;
  /** Removes every grant matching the filter; returns how many. */
  removeWhere(filter: GrantFilter): Promise<number>;
}

/** True when adding prior ⇒ implied to `rules` would close a cycle (prior === implied included). */
export function closesCycle(rules: readonly Inference[], rule: Inference): boolean {
  const next = new Map<string, string[]>();
  for (const r of rules) next.set(r.priorRoleId, [...(next.get(r.priorRoleId) ?? []), r.impliedRoleId]);
  // A cycle appears when the prior role is reachable from the implied one.
  const seen = new Set<string>();
  const queue = [rule.impliedRoleId];
  while (queue.length) {
    const id = queue.pop()!;
    if (id === rule.priorRoleId) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...(next.get(id) ?? []));
  }
  return false;
}
