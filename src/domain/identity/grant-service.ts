/**
 * Grants (docs/compatibility.md §1.4, §1.5): a role for a user or group on a project, a domain or the system,
 * optionally OS-INHERIT (inherited to the projects below the target). PUT is idempotent; check and
 * revoke of a missing grant are 404. The target is built first (role, actor, project or domain,
 * each 404 when missing; on revoke the actor may be gone), then policy, then the operation.
 */
import type { Principal } from '../../auth/principal.js';
import type { ActorType, Grant, Role, TargetType } from '../../store/role-store.js';
import { guard, Lookups, referencesHold, type IdentityDeps, type PolicyTarget } from './deps.js';
import { domainRoleOnSystem, grantMissing, wrongDomain } from './messages.js';

/** Where a grant points: project or domain by id, or the system (id `system`). */
export interface GrantTarget {
  readonly targetType: TargetType;
  readonly targetId: string;
  readonly inherited: boolean;
}

export interface GrantActor {
  readonly actorType: ActorType;
  readonly actorId: string;
}

type Verb = 'create' | 'check' | 'revoke' | 'list';

export class GrantService {
  private readonly lookups: Lookups;

  constructor(private readonly deps: IdentityDeps) {
    this.lookups = new Lookups(deps.stores);
  }

  async put(caller: Principal, actor: GrantActor, target: GrantTarget, roleId: string): Promise<void> {
    const grant = { ...actor, ...target, roleId };
    const { role, targetDomainId } = await this.authorize(caller, 'create', actor, target, roleId);
    assertSameDomain(role!, target, targetDomainId);
    await this.deps.stores.grants.add(grant); // idempotent: an existing grant is fine (§1.4)
    await referencesHold(
      [
        () => this.lookups.role(roleId),
        () => (actor.actorType === 'user' ? this.lookups.user(actor.actorId) : this.lookups.group(actor.actorId)),
        () => this.targetDomain(target),
      ],
      () => this.deps.stores.grants.remove(grant),
    );
  }

  async check(caller: Principal, actor: GrantActor, target: GrantTarget, roleId: string): Promise<void> {
    await this.authorize(caller, 'check', actor, target, roleId);
    const grant = { ...actor, ...target, roleId };
    if (!(await this.deps.stores.grants.has(grant))) throw grantMissing(roleId, actor.actorId, target.targetId);
  }

  async revoke(caller: Principal, actor: GrantActor, target: GrantTarget, roleId: string): Promise<void> {
    await this.authorize(caller, 'revoke', actor, target, roleId);
    const grant = { ...actor, ...target, roleId };
    if (!(await this.deps.stores.grants.remove(grant))) throw grantMissing(roleId, actor.actorId, target.targetId);
  }

  /** The actor's direct grants on the target (no groups, no implied roles), as roles (§1.4). */
  async list(caller: Principal, actor: GrantActor, target: GrantTarget): Promise<Role[]> {
    await this.authorize(caller, 'list', actor, target);
    const grants = await this.deps.stores.grants.list({ ...actor, ...target });
    const roles = await Promise.all(grants.map((g) => this.deps.stores.roles.get(g.roleId)));
    return roles.filter((r): r is Role => r !== undefined).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Builds the target (404s), then asks policy. Returns the role and the target's domain. */
  private async authorize(caller: Principal, verb: Verb, actor: GrantActor, target: GrantTarget, roleId?: string) {
    const role = roleId !== undefined ? await this.lookups.role(roleId) : undefined;
    const actorDomainId = await this.actorDomain(actor, verb === 'revoke');
    const targetDomainId = await this.targetDomain(target);
    const attrs: PolicyTarget = {
      domain_id: targetDomainId,
      actor_domain_id: actorDomainId,
      target_type: target.targetType,
      target_id: target.targetId,
      role_name: role?.name ?? '',
      role_domain_id: role?.domainId ?? '',
    };
    guard(this.deps, caller, policyName(verb, actor, target), attrs);
    return { role, targetDomainId };
  }

  private async actorDomain(actor: GrantActor, allowMissing: boolean): Promise<string> {
    const dir = this.deps.stores.directory;
    const found =
      actor.actorType === 'user' ? await dir.users.get(actor.actorId) : await dir.groups.get(actor.actorId);
    if (found) return found.domainId;
    if (allowMissing) return '';
    // Not found: let the lookup raise Keystone's message.
    return actor.actorType === 'user'
      ? (await this.lookups.user(actor.actorId)).domainId
      : (await this.lookups.group(actor.actorId)).domainId;
  }

  private async targetDomain(target: GrantTarget): Promise<string> {
    if (target.targetType === 'system') return '';
    if (target.targetType === 'domain') return (await this.lookups.domain(target.targetId)).id;
    return (await this.lookups.project(target.targetId)).domainId;
  }
}

function policyName(verb: Verb, actor: GrantActor, target: GrantTarget): string {
  if (target.targetType !== 'system') return verb === 'list' ? 'list_grants' : `${verb}_grant`;
  const base = verb === 'list' ? 'list_system_grants' : `${verb}_system_grant`;
  return `${base}_for_${actor.actorType}`;
}

/**
 * A domain-specific role may only be granted inside its domain: on a project of that domain
 * (§1.4), on that domain itself (§7 K-10, a deliberate tightening), never on the system (§1.5).
 */
function assertSameDomain(role: Role, target: GrantTarget, targetDomainId: string): void {
  if (!role.domainId) return;
  if (target.targetType === 'system') throw domainRoleOnSystem(role.id);
  if (role.domainId === targetDomainId) return;
  throw wrongDomain(target.targetType === 'project' ? 'Project' : 'Domain', target.targetId, role.id);
}

export type { Grant };
