/**
 * `GET /v3/role_assignments` (docs/compatibility.md §1.7): policy, Keystone's validation rules in their order,
 * the snapshot the expansion runs over, the domain-scoped caller's cut, and the names that
 * `include_names` adds. The listing itself is `listAssignments` (assignment-expansion.ts).
 */
import type { Principal } from '../../auth/principal.js';
import { badRequest } from '../../errors.js';
import type { Domain, Group, Project, User } from '../../store/directory-store.js';
import type { Role } from '../../store/role-store.js';
import { guard, Lookups, type IdentityDeps } from './deps.js';
import { listAssignments, type AssignmentEntry, type AssignmentQuery, type Snapshot } from './assignment-expansion.js';

/** Entities by id, for `include_names` (empty maps when names were not asked for). */
export interface NameBook {
  readonly roles: ReadonlyMap<string, Role>;
  readonly users: ReadonlyMap<string, User>;
  readonly groups: ReadonlyMap<string, Group>;
  readonly projects: ReadonlyMap<string, Project>;
  readonly domains: ReadonlyMap<string, Domain>;
}

export class AssignmentService {
  private readonly lookups: Lookups;

  constructor(private readonly deps: IdentityDeps) {
    this.lookups = new Lookups(deps.stores);
  }

  async list(
    caller: Principal,
    q: AssignmentQuery,
    includeNames: boolean,
  ): Promise<{ entries: AssignmentEntry[]; names: NameBook }> {
    const dir = this.deps.stores.directory;
    const project = q.projectId !== undefined ? await dir.projects.get(q.projectId) : undefined;
    const domainId = q.domainId ?? project?.domainId ?? '';
    guard(this.deps, caller, q.includeSubtree ? 'list_role_assignments_for_tree' : 'list_role_assignments', {
      domain_id: domainId,
    });
    validate(q);
    if (q.includeSubtree) await this.lookups.project(q.projectId!);
    const [snapshot, names] = await Promise.all([this.snapshot(), this.names(includeNames)]);
    let entries = listAssignments(q, snapshot);
    if (caller.scope.type === 'domain') entries = cutToDomain(entries, caller.scope.id ?? '', snapshot);
    return { entries, names };
  }

  private async snapshot(): Promise<Snapshot> {
    const { stores } = this.deps;
    const [grants, roles, rules, memberships, projects] = await Promise.all([
      stores.grants.list(),
      stores.roles.list(),
      stores.inferences.list(),
      stores.directory.memberships.all(),
      stores.directory.projects.list(),
    ]);
    const implies = new Map<string, string[]>();
    for (const r of rules) implies.set(r.priorRoleId, [...(implies.get(r.priorRoleId) ?? []), r.impliedRoleId]);
    const members = new Map<string, string[]>();
    const groups = new Map<string, string[]>();
    for (const m of memberships) {
      members.set(m.groupId, [...(members.get(m.groupId) ?? []), m.userId]);
      groups.set(m.userId, [...(groups.get(m.userId) ?? []), m.groupId]);
    }
    return {
      grants,
      roleDomains: new Map(roles.map((r) => [r.id, r.domainId])),
      implies,
      membersOf: (g) => members.get(g) ?? [],
      groupsOf: (u) => groups.get(u) ?? [],
      projects: new Map(projects.map((p) => [p.id, { domainId: p.domainId, parentId: p.parentId }])),
    };
  }

  private async names(wanted: boolean): Promise<NameBook> {
    if (!wanted) return { roles: new Map(), users: new Map(), groups: new Map(), projects: new Map(), domains: new Map() };
    const { stores } = this.deps;
    const [roles, users, groups, projects, domains] = await Promise.all([
      stores.roles.list(),
      stores.directory.users.list(),
      stores.directory.groups.list(),
      stores.directory.projects.list(),
      stores.directory.domains.list(),
    ]);
    const byId = <T extends { id: string }>(list: T[]) => new Map(list.map((e) => [e.id, e]));
    return {
      roles: byId(roles),
      users: byId(users),
      groups: byId(groups),
      projects: byId(projects),
      domains: byId(domains),
    };
  }
}

/** docs/compatibility.md §1.7 validation, in upstream's order. */
export function validate(q: AssignmentQuery): void {
  const project = q.projectId !== undefined;
  const domain = q.domainId !== undefined;
  if (q.includeSubtree && !project) {
    throw badRequest('scope.project.id must be specified if include_subtree is also specified');
  }
  if (domain && project) throw badRequest('Specify a domain or project, not both');
  if (domain && q.system) throw badRequest('Specify system or domain, not both');
  if (project && q.system) throw badRequest('Specify system or project, not both');
  if (q.userId !== undefined && q.groupId !== undefined) throw badRequest('Specify a user or group, not both');
  if (q.effective && q.groupId !== undefined) {
    throw badRequest('Combining effective and group filter will always result in an empty list.');
  }
  if (q.effective && q.inherited === true && domain) {
    throw badRequest('Combining effective, domain and inherited filters will always result in an empty list.');
  }
}

/** A domain-scoped caller sees only entries on its domain or on the domain's projects (§1.7). */
function cutToDomain(entries: AssignmentEntry[], domainId: string, s: Snapshot): AssignmentEntry[] {
  return entries.filter((e) =>
    e.scope.type === 'domain' ? e.scope.id === domainId : e.scope.type === 'project' && s.projects.get(e.scope.id)?.domainId === domainId,
  );
}
