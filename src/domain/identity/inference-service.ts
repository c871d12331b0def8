/**
 * Implied roles (docs/compatibility.md §1.6): rules "prior implies implied". Both roles must exist (404); then
 * policy; then Keystone's rules: `admin` (the prohibited list) cannot be implied, a global role
 * cannot imply a domain-specific one, and (docs/compatibility.md §8.2, overriding K-1) a rule that would close a
 * cycle is refused with 400, decided by the role graph before anything is stored.
 */
import type { Principal } from '../../auth/principal.js';
import { badRequest } from '../../errors.js';
import type { Role } from '../../store/role-store.js';
import { DuplicateError, InferenceCycleError } from '../../store/store-errors.js';
import { guard, Lookups, referencesHold, type IdentityDeps } from './deps.js';
import { duplicateRule, globalImpliesDomain, prohibitedImplied, ruleMissing } from './messages.js';

/** Keystone's `[assignment] prohibited_implied_role` default. */
export const PROHIBITED_IMPLIED_ROLES: readonly string[] = ['admin'];

const cycle = (prior: string, implied: string) =>
  badRequest(`Invalid implied role: ${prior} implies ${implied} would create a cycle of implied roles.`);

export interface RuleView {
  readonly prior: Role;
  readonly implied: Role;
}

export class InferenceService {
  private readonly lookups: Lookups;

  constructor(private readonly deps: IdentityDeps) {
    this.lookups = new Lookups(deps.stores);
  }

  /** The prior role and the roles it implies directly (one hop). */
  async listFor(caller: Principal, priorId: string): Promise<{ prior: Role; implies: Role[] }> {
    const prior = await this.lookups.role(priorId);
    guard(this.deps, caller, 'list_implied_roles', { role_name: prior.name });
    const rules = await this.deps.stores.inferences.list({ priorRoleId: priorId });
    return { prior, implies: await this.rolesOf(rules.map((r) => r.impliedRoleId)) };
  }

  async create(caller: Principal, priorId: string, impliedId: string): Promise<RuleView> {
    const prior = await this.lookups.role(priorId);
    const implied = await this.lookups.role(impliedId);
    guard(this.deps, caller, 'create_implied_role');
    if (PROHIBITED_IMPLIED_ROLES.includes(implied.name)) throw prohibitedImplied(impliedId);
    if (prior.domainId === null && implied.domainId !== null) throw globalImpliesDomain();
    const rule = { priorRoleId: priorId, impliedRoleId: impliedId };
    try {
      await this.deps.stores.inferences.add(rule);
    } catch (err) {
      if (err instanceof DuplicateError) throw duplicateRule();
      if (err instanceof InferenceCycleError) throw cycle(priorId, impliedId);
      throw err;
    }
    await referencesHold(
      [() => this.lookups.role(priorId), () => this.lookups.role(impliedId)],
      () => this.deps.stores.inferences.remove(rule),
    );
    return { prior, implied };
  }

  /** GET (get_implied_role) and HEAD (check_implied_role and get_implied_role, §1.6). */
  async get(caller: Principal, priorId: string, impliedId: string, head = false): Promise<RuleView> {
    const prior = await this.lookups.role(priorId);
    const implied = await this.lookups.role(impliedId);
    if (head) guard(this.deps, caller, 'check_implied_role');
    guard(this.deps, caller, 'get_implied_role');
    if (!(await this.deps.stores.inferences.has({ priorRoleId: priorId, impliedRoleId: impliedId }))) {
      throw ruleMissing(priorId, impliedId);
    }
    return { prior, implied };
  }

  async delete(caller: Principal, priorId: string, impliedId: string): Promise<void> {
    await this.lookups.role(priorId);
    await this.lookups.role(impliedId);
    guard(this.deps, caller, 'delete_implied_role');
    if (!(await this.deps.stores.inferences.remove({ priorRoleId: priorId, impliedRoleId: impliedId }))) {
      throw ruleMissing(priorId, impliedId);
    }
  }

  /** Every rule, grouped by prior role (`GET /v3/role_inferences`). */
  async listAll(caller: Principal): Promise<{ prior: Role; implies: Role[] }[]> {
    guard(this.deps, caller, 'list_role_inference_rules');
    const rules = await this.deps.stores.inferences.list();
    const byPrior = new Map<string, string[]>();
    for (const r of rules) byPrior.set(r.priorRoleId, [...(byPrior.get(r.priorRoleId) ?? []), r.impliedRoleId]);
    const out: { prior: Role; implies: Role[] }[] = [];
    for (const [priorId, impliedIds] of byPrior) {
      const prior = await this.deps.stores.roles.get(priorId);
      if (prior) out.push({ prior, implies: await this.rolesOf(impliedIds) });
    }
    return out.sort((a, b) => (a.prior.name < b.prior.name ? -1 : 1));
  }

  private async rolesOf(ids: readonly string[]): Promise<Role[]> {
    const roles = await Promise.all(ids.map((id) => this.deps.stores.roles.get(id)));
    return roles.filter((r): r is Role => r !== undefined);
  }
}
