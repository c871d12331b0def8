/**
 * The role graph: everything a decision needs to know about who holds which role where, kept
 * flattened so a check is a few map lookups (docs/architecture.md, "Why the engine looks the way it does").
 *
 * Owns: roles (id → name, domain), the implied-role DAG and its closure, group membership,
 * the project tree, and grants. Answers "which global roles does user U hold in scope S, and why".
 * Knows nothing of HTTP, stores or Casbin; the role manager adapts it to Casbin's g().
 */
import { appended } from '../compact-array.js';
import { scopeKeyOf, UNSCOPED, type ScopeKey } from './scope.js';

export interface GraphRole {
  readonly id: string;
  readonly name: string;
  /** null for a global role; domain-specific roles only ever contribute through what they imply. */
  readonly domainId: string | null;
}

export interface GraphGrant {
  readonly actorType: 'user' | 'group';
  readonly actorId: string;
  readonly targetType: 'project' | 'domain' | 'system';
  readonly targetId: string;
  readonly roleId: string;
  readonly inherited: boolean;
}

export interface GraphProject {
  readonly id: string;
  readonly domainId: string;
  readonly parentId: string | null;
}

/** Why a user holds a role in a scope: the grant it comes from and the implication chain. */
export interface RoleProof {
  readonly grant: GraphGrant;
  /** Role ids from the granted role to the held one (length 1 when held directly). */
  readonly chain: readonly string[];
}

export type EffectiveRoles = ReadonlyMap<string, RoleProof>;

/**
 * What a subject holds in a scope: its roles there and the groups they were read from. The role
 * graph remembers one per user and scope until that user's grants or memberships change, so the
 * pair is consistent, and the decision log keeps it without looking the groups up again (with the
 * user and scope it is for: one reference a record keeps for all four).
 */
export interface HeldRoles {
  readonly userId: string;
  readonly scope: ScopeKey;
  /** Global roles held in the scope (name → proof). */
  readonly roles: EffectiveRoles;
  readonly groups: ReadonlySet<string>;
}

export class ImpliedRoleCycleError extends Error {
  constructor(prior: string, implied: string) {
    super(`Implied role ${implied} already implies ${prior}: adding the rule would create a cycle.`);
    this.name = 'ImpliedRoleCycleError';
  }
}

/** Grants by what they are on, keyed as scopes are (`system`, `domain:<id>`, `project:<id>`). */
/** A grant's target as a scope key (the kept string: a snapshot adds 100k grants at M, 5,000 projects). */
const targetKey = (g: GraphGrant): string => scopeKeyOf(g.targetType, g.targetId);

/** The project tree read downwards. */
interface ProjectTree {
  readonly children: ReadonlyMap<string, readonly string[]>;
  readonly byDomain: ReadonlyMap<string, readonly string[]>;
}

export class RoleGraph {
  private roles = new Map<string, GraphRole>();
  private implies = new Map<string, Set<string>>();
  /** roleId → (reachable roleId → chain of ids from roleId to it), reflexive. Rebuilt on change. */
  private closure = new Map<string, Map<string, string[]>>();
  private userGroups = new Map<string, Set<string>>();
  private groupUsers = new Map<string, Set<string>>();
  private projects = new Map<string, GraphProject>();
  private ancestorMemo = new Map<string, readonly string[]>();
  /** Grants by actor type, then actor id. */
  private grants = { user: new Map<string, GraphGrant[]>(), group: new Map<string, GraphGrant[]>() };
  /** The same grants by target (targetKey): who holds what where, read backwards by searches. */
  private grantsOn = new Map<string, GraphGrant[]>();
  private treeMemo: ProjectTree | undefined;
  /** userId → scope → effective roles. Invalidated per user, or wholesale on shared changes. */
  private effectiveMemo = new Map<string, Map<ScopeKey, HeldRoles>>();
  /** Role paths already written out, per proof (a proof belongs to one user's memo entry). */
  private readonly described = new WeakMap<RoleProof, { readonly userId: string; readonly text: string }>();
  private generation = 0;

  /** Increases on every change; lets callers (and tests) see that the graph moved. */
  get version(): number {
    return this.generation;
  }

  /** Forgets everything (before a full rebuild from the store; callers refill synchronously). */
  clear(): void {
    this.roles.clear();
    this.implies.clear();
    this.userGroups.clear();
    this.groupUsers.clear();
    this.projects.clear();
    this.grants.user.clear();
    this.grants.group.clear();
    this.grantsOn.clear();
    this.projectsChanged();
    this.sharedChange(true);
  }

  /**
   * Takes over another graph's contents in one synchronous step (a replica swapping in a graph it
   * rebuilt off to the side); `other` must not be used afterwards.
   */
  adopt(other: RoleGraph): void {
    this.roles = other.roles;
    this.implies = other.implies;
    this.userGroups = other.userGroups;
    this.groupUsers = other.groupUsers;
    this.projects = other.projects;
    this.grants = other.grants;
    this.grantsOn = other.grantsOn;
    this.projectsChanged();
    this.sharedChange(true);
  }

  // ---- roles and implications -------------------------------------------------------------

  putRole(role: GraphRole): void {
    this.roles.set(role.id, { id: role.id, name: role.name, domainId: role.domainId });
    this.sharedChange(true);
  }

  /** Removes the role, its implications and its grants (Keystone's delete cascade). */
  removeRole(roleId: string): void {
    this.roles.delete(roleId);
    this.implies.delete(roleId);
    for (const set of this.implies.values()) set.delete(roleId);
    for (const index of [this.grants.user, this.grants.group, this.grantsOn]) {
      for (const [key, list] of index) {
        const kept = list.filter((g) => g.roleId !== roleId);
        if (kept.length) index.set(key, kept);
        else index.delete(key);
      }
    }
    this.sharedChange(true);
  }

  getRole(roleId: string): GraphRole | undefined {
    return this.roles.get(roleId);
  }

  /** True when adding prior ⇒ implied would close a cycle (including prior === implied). */
  wouldCycle(priorId: string, impliedId: string): boolean {
    return priorId === impliedId || this.reachable(impliedId).has(priorId);
  }

  addImplication(priorId: string, impliedId: string): void {
    if (this.wouldCycle(priorId, impliedId)) throw new ImpliedRoleCycleError(priorId, impliedId);
    let set = this.implies.get(priorId);
    if (!set) this.implies.set(priorId, (set = new Set()));
    set.add(impliedId);
    this.sharedChange(true);
  }

  /**
   * Replaces every implication with `rules` (the whole rule set as stored). A rule that would
   * close a cycle (a store written by another tool) is skipped rather than failing.
   */
  replaceImplications(rules: readonly { readonly priorRoleId: string; readonly impliedRoleId: string }[]): void {
    this.implies = new Map();
    this.sharedChange(true);
    for (const r of rules) if (!this.wouldCycle(r.priorRoleId, r.impliedRoleId)) this.addImplication(r.priorRoleId, r.impliedRoleId);
  }

  removeImplication(priorId: string, impliedId: string): void {
    this.implies.get(priorId)?.delete(impliedId);
    this.sharedChange(true);
  }

  /** Role ids the role implies, itself included, each with the chain that leads there. */
  reachable(roleId: string): ReadonlyMap<string, readonly string[]> {
    let entry = this.closure.get(roleId);
    if (!entry) {
      entry = this.computeClosure(roleId);
      this.closure.set(roleId, entry);
    }
    return entry;
  }

  private computeClosure(roleId: string): Map<string, string[]> {
    // Breadth-first, so each chain is a shortest one; the visited set keeps it finite even if a
    // cycle was loaded from a store written by another tool.
    const out = new Map<string, string[]>([[roleId, [roleId]]]);
    const queue = [roleId];
    while (queue.length) {
      const current = queue.shift()!;
      const chain = out.get(current)!;
      for (const next of this.implies.get(current) ?? []) {
        if (out.has(next)) continue;
        out.set(next, [...chain, next]);
        queue.push(next);
      }
    }
    return out;
  }

  // ---- directory ------------------------------------------------------------------------------

  // A user's group set is replaced, never changed in place: a set handed out by groupsOf() stays
  // as it was (the decision log keeps it as the memberships a decision was made on).
  addMember(groupId: string, userId: string): void {
    const groups = this.userGroups.get(userId);
    if (!groups?.has(groupId)) this.userGroups.set(userId, new Set(groups).add(groupId));
    let users = this.groupUsers.get(groupId);
    if (!users) this.groupUsers.set(groupId, (users = new Set()));
    users.add(userId);
    this.userChange(userId);
  }

  removeMember(groupId: string, userId: string): void {
    this.dropGroupOf(userId, groupId);
    this.groupUsers.get(groupId)?.delete(userId);
    this.userChange(userId);
  }

  isMember(userId: string, groupId: string): boolean {
    return this.userGroups.get(userId)?.has(groupId) ?? false;
  }

  /** The user's groups; the set returned never changes (a membership change replaces it). */
  groupsOf(userId: string): ReadonlySet<string> {
    return this.userGroups.get(userId) ?? EMPTY;
  }

  private dropGroupOf(userId: string, groupId: string): void {
    const groups = this.userGroups.get(userId);
    if (!groups?.has(groupId)) return;
    const kept = new Set(groups);
    kept.delete(groupId);
    this.userGroups.set(userId, kept);
  }

  membersOf(groupId: string): ReadonlySet<string> {
    return this.groupUsers.get(groupId) ?? EMPTY;
  }

  /** Removes the user's memberships and grants (user deleted from the directory). */
  removeUser(userId: string): void {
    for (const g of this.userGroups.get(userId) ?? []) this.groupUsers.get(g)?.delete(userId);
    this.userGroups.delete(userId);
    this.dropGrantsOf('user', userId);
    this.userChange(userId);
  }

  removeGroup(groupId: string): void {
    for (const u of this.groupUsers.get(groupId) ?? []) this.dropGroupOf(u, groupId);
    this.groupUsers.delete(groupId);
    this.dropGrantsOf('group', groupId);
    this.sharedChange(false);
  }

  putProject(project: GraphProject): void {
    this.projects.set(project.id, { ...project });
    this.projectsChanged();
    this.sharedChange(false);
  }

  removeProject(projectId: string): void {
    this.projects.delete(projectId);
    this.projectsChanged();
    this.sharedChange(false);
  }

  private projectsChanged(): void {
    this.ancestorMemo = new Map();
    this.treeMemo = undefined;
  }

  getProject(projectId: string): GraphProject | undefined {
    return this.projects.get(projectId);
  }

  /** Parent first, root last. Guards against a malformed tree with a visited set. */
  ancestorsOf(projectId: string): readonly string[] {
    const memo = this.ancestorMemo.get(projectId);
    if (memo) return memo;
    const out: string[] = [];
    const seen = new Set([projectId]);
    let parent = this.projects.get(projectId)?.parentId ?? null;
    while (parent && !seen.has(parent)) {
      out.push(parent);
      seen.add(parent);
      parent = this.projects.get(parent)?.parentId ?? null;
    }
    this.ancestorMemo.set(projectId, out);
    return out;
  }

  // ---- grants ---------------------------------------------------------------------------------

  addGrant(grant: GraphGrant): void {
    const byActor = this.grants[grant.actorType];
    const list = byActor.get(grant.actorId);
    if (!list || indexOfGrant(list, grant) < 0) {
      // A frozen grant (the memory store's own record) is kept as it is, so it is held once.
      const kept = Object.isFrozen(grant) ? grant : this.sharingIds(grant, list);
      // The lists are set again only when `appended` made a new one (a snapshot adds 100k grants at M).
      const actorGrants = appended(list, kept);
      if (actorGrants !== list) byActor.set(kept.actorId, actorGrants);
      const target = targetKey(kept);
      const on = this.grantsOn.get(target);
      const targetGrants = appended(on, kept);
      if (targetGrants !== on) this.grantsOn.set(target, targetGrants);
    }
    this.actorChange(grant.actorType, grant.actorId);
  }

  /**
   * A frozen copy whose ids are the strings the graph already holds (the actor's other grants',
   * the role's, the project's or the target's other grants'), not the separate copies a decoded
   * record brings: 100k grants at M would otherwise hold ~300k strings of their own.
   */
  private sharingIds(g: GraphGrant, actorGrants: readonly GraphGrant[] | undefined): GraphGrant {
    const targetId =
      (g.targetType === 'project' ? this.projects.get(g.targetId)?.id : this.grantsOn.get(targetKey(g))?.[0]?.targetId) ?? g.targetId;
    return frozenGrant({
      actorType: g.actorType,
      actorId: actorGrants?.[0]?.actorId ?? g.actorId,
      targetType: g.targetType,
      targetId,
      roleId: this.roles.get(g.roleId)?.id ?? g.roleId,
      inherited: g.inherited,
    });
  }

  removeGrant(grant: GraphGrant): void {
    const byActor = this.grants[grant.actorType];
    const list = byActor.get(grant.actorId);
    if (!list) return;
    const kept = list.filter((g) => !sameGrant(g, grant));
    if (kept.length) byActor.set(grant.actorId, kept);
    else byActor.delete(grant.actorId);
    this.unindex(targetKey(grant), (g) => sameGrant(g, grant));
    this.actorChange(grant.actorType, grant.actorId);
  }

  /** Removes every grant the actor holds, from both indexes. */
  private dropGrantsOf(actorType: 'user' | 'group', actorId: string): void {
    const byActor = this.grants[actorType];
    for (const target of new Set((byActor.get(actorId) ?? []).map(targetKey))) {
      this.unindex(target, (g) => g.actorType === actorType && g.actorId === actorId);
    }
    byActor.delete(actorId);
  }

  private unindex(target: string, drop: (g: GraphGrant) => boolean): void {
    const list = this.grantsOn.get(target);
    if (!list) return;
    const kept = list.filter((g) => !drop(g));
    if (kept.length) this.grantsOn.set(target, kept);
    else this.grantsOn.delete(target);
  }

  grantsOf(actorType: 'user' | 'group', actorId: string): readonly GraphGrant[] {
    return this.grants[actorType].get(actorId) ?? [];
  }

  // ---- reverse questions (searches) ------------------------------------------------------------

  /**
   * Users who hold one of the global roles named in `names` in the scope: the reverse of
   * effectiveRoles, read from the grants on the targets that can apply there (the scope itself,
   * the project's ancestors and domain, the system), group grants expanded to their members.
   */
  holdersIn(names: ReadonlySet<string>, scope: ScopeKey): Set<string> {
    const out = new Set<string>();
    if (scope === UNSCOPED) return out;
    const applies = this.grantFilter(scope);
    const confers = this.conferring(names);
    const targets = ['system'];
    if (scope.startsWith('domain:')) targets.push(scope);
    else if (scope.startsWith('project:')) {
      const projectId = scope.slice('project:'.length);
      targets.push(scope, ...this.ancestorsOf(projectId).map((id) => `project:${id}`));
      const domainId = this.projects.get(projectId)?.domainId;
      if (domainId !== undefined) targets.push(`domain:${domainId}`);
    }
    for (const target of targets) {
      for (const g of this.grantsOn.get(target) ?? []) {
        if (!applies(g) || !confers(g.roleId)) continue;
        if (g.actorType === 'user') out.add(g.actorId);
        else for (const u of this.membersOf(g.actorId)) out.add(u);
      }
    }
    return out;
  }

  /**
   * Where the user holds one of the global roles named in `names`: everywhere (a system grant
   * confers one), or in these scopes (project grants, inherited ones on every descendant,
   * domain grants, inherited ones on every project of the domain). The reverse of effectiveRoles
   * for one user: each scope listed holds a role, and no other scope does.
   */
  scopesHolding(userId: string, names: ReadonlySet<string>): { everywhere: boolean; scopes: Set<ScopeKey> } {
    const scopes = new Set<ScopeKey>();
    const confers = this.conferring(names);
    const grants = [...this.grantsOf('user', userId)];
    for (const groupId of this.groupsOf(userId)) grants.push(...this.grantsOf('group', groupId));
    for (const g of grants) {
      if (!confers(g.roleId)) continue;
      if (g.targetType === 'system') return { everywhere: true, scopes };
      if (g.targetType === 'domain') {
        if (!g.inherited) scopes.add(`domain:${g.targetId}`);
        else for (const id of this.tree().byDomain.get(g.targetId) ?? []) scopes.add(`project:${id}`);
      } else if (!g.inherited) scopes.add(`project:${g.targetId}`);
      else for (const id of this.descendantsOf(g.targetId)) scopes.add(`project:${id}`);
    }
    return { everywhere: false, scopes };
  }

  /** Does a grant of the role confer one of the named global roles (itself or by implication)? */
  private conferring(names: ReadonlySet<string>): (roleId: string) => boolean {
    const known = new Map<string, boolean>();
    return (roleId) => {
      let yes = known.get(roleId);
      if (yes === undefined) {
        yes = false;
        for (const id of this.reachable(roleId).keys()) {
          const role = this.roles.get(id);
          if (role && role.domainId === null && names.has(role.name)) {
            yes = true;
            break;
          }
        }
        known.set(roleId, yes);
      }
      return yes;
    };
  }

  /** Projects below this one (children, their children...), guarded against a malformed tree. */
  private descendantsOf(projectId: string): string[] {
    const { children } = this.tree();
    const out: string[] = [];
    const seen = new Set([projectId]);
    const queue = [projectId];
    while (queue.length) {
      for (const child of children.get(queue.pop()!) ?? []) {
        if (seen.has(child)) continue;
        seen.add(child);
        out.push(child);
        queue.push(child);
      }
    }
    return out;
  }

  /** The project tree read downwards: children by parent, projects by domain. Rebuilt on change. */
  private tree(): ProjectTree {
    if (!this.treeMemo) {
      const children = new Map<string, string[]>();
      const byDomain = new Map<string, string[]>();
      for (const p of this.projects.values()) {
        if (p.parentId !== null) push(children, p.parentId, p.id);
        push(byDomain, p.domainId, p.id);
      }
      this.treeMemo = { children, byDomain };
    }
    return this.treeMemo;
  }

  // ---- the question ---------------------------------------------------------------------------

  /**
   * Global roles (by name) the user holds in the scope, each with one proof. For a project:
   * grants on the project, OS-INHERIT grants on its ancestors and its domain, and system grants,
   * for the user and each of the user's groups, closed over implied roles. For a domain: grants on
   * the domain and system grants. For the system: system grants. Unscoped: none. Domain-specific roles are never
   * held as such (Keystone strips them); only the global roles they imply are.
   */
  effectiveRoles(userId: string, scope: ScopeKey): EffectiveRoles {
    return this.held(userId, scope).roles;
  }

  /**
   * The user's roles in the scope (effectiveRoles) with the groups they come from. The last two
   * pairs returned are compared first, while the graph is unchanged since (`generation`): an
   * evaluation asks for its caller's pair (the permission check) and then its subject's, so a
   * caller asking about others finds its own there, and two comparisons cost less than the
   * memo's two map lookups.
   */
  held(userId: string, scope: ScopeKey): HeldRoles {
    if (this.recentGeneration !== this.generation) {
      this.recentGeneration = this.generation;
      this.lastHeld = this.heldBefore = undefined;
    }
    const last = this.lastHeld;
    if (last !== undefined && last.userId === userId && last.scope === scope) return last;
    const before = this.heldBefore;
    if (before !== undefined && before.userId === userId && before.scope === scope) {
      this.heldBefore = last;
      this.lastHeld = before;
      return before;
    }
    let perUser = this.effectiveMemo.get(userId);
    if (!perUser) this.effectiveMemo.set(userId, (perUser = new Map()));
    let held = perUser.get(scope);
    if (!held) {
      held = { userId, scope, roles: this.computeEffective(userId, scope), groups: this.groupsOf(userId) };
      perUser.set(scope, held);
    }
    this.heldBefore = last;
    this.lastHeld = held;
    return held;
  }
  /** The pairs held() returned last and the one before, while the generation is recentGeneration. */
  private lastHeld: HeldRoles | undefined = undefined;
  private heldBefore: HeldRoles | undefined = undefined;
  private recentGeneration = -1;

  private computeEffective(userId: string, scope: ScopeKey): Map<string, RoleProof> {
    const out = new Map<string, RoleProof>();
    const applies = this.grantFilter(scope);
    const visit = (grant: GraphGrant) => {
      if (!applies(grant)) return;
      for (const [roleId, chain] of this.reachable(grant.roleId)) {
        const role = this.roles.get(roleId);
        if (!role || role.domainId !== null) continue;
        const known = out.get(role.name);
        if (!known || known.chain.length > chain.length) out.set(role.name, { grant, chain });
      }
    };
    for (const g of this.grantsOf('user', userId)) visit(g);
    for (const groupId of this.groupsOf(userId)) for (const g of this.grantsOf('group', groupId)) visit(g);
    return out;
  }

  private grantFilter(scope: ScopeKey): (g: GraphGrant) => boolean {
    if (scope === UNSCOPED) return () => false; // an unscoped token holds no roles, as in Keystone
    if (scope === 'system') return (g) => g.targetType === 'system';
    if (scope.startsWith('domain:')) {
      const domainId = scope.slice('domain:'.length);
      return (g) =>
        g.targetType === 'system' || (g.targetType === 'domain' && g.targetId === domainId && !g.inherited);
    }
    const projectId = scope.slice('project:'.length);
    const domainId = this.projects.get(projectId)?.domainId;
    const ancestors = new Set(this.ancestorsOf(projectId));
    return (g) => {
      if (g.targetType === 'system') return true;
      if (g.targetType === 'project') {
        return g.inherited ? ancestors.has(g.targetId) : g.targetId === projectId;
      }
      return g.inherited && g.targetId === domainId;
    };
  }

  /** Human-readable role path, e.g. `bob → group ops → admin ⇒ manager ⇒ member on project p1`. */
  describeProof(userId: string, proof: RoleProof): string {
    // Proofs live in the per-user memo, so most decisions cite a proof already described.
    const known = this.described.get(proof);
    if (known?.userId === userId) return known.text;
    const text = this.describe(userId, proof);
    this.described.set(proof, { userId, text });
    return text;
  }

  private describe(userId: string, proof: RoleProof): string {
    const names = proof.chain.map((id) => this.roles.get(id)?.name ?? id).join(' ⇒ ');
    const via = proof.grant.actorType === 'group' ? ` → group ${proof.grant.actorId}` : '';
    const target = scopeKeyOf(proof.grant.targetType, proof.grant.targetId).replace(':', ' ');
    const inherited = proof.grant.inherited ? ' (inherited)' : '';
    return `${userId}${via} → ${names} on ${target}${inherited}`;
  }

  // ---- invalidation ---------------------------------------------------------------------------

  private userChange(userId: string): void {
    this.effectiveMemo.delete(userId);
    this.generation++;
  }

  private actorChange(type: 'user' | 'group', id: string): void {
    if (type === 'user') this.userChange(id);
    else this.sharedChange(false);
  }

  private sharedChange(rolesChanged: boolean): void {
    if (rolesChanged) this.closure = new Map();
    this.effectiveMemo = new Map();
    this.generation++;
  }
}

const EMPTY: ReadonlySet<string> = new Set();

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * A frozen copy built as a literal: V8 keeps a spread-then-frozen copy (`{...g}`) in a slower,
 * ~3x larger shape. The memory grant store keeps its records this way too, and the graph then
 * holds those same objects.
 */
function frozenGrant(g: GraphGrant): GraphGrant {
  return Object.freeze({
    actorType: g.actorType,
    actorId: g.actorId,
    targetType: g.targetType,
    targetId: g.targetId,
    roleId: g.roleId,
    inherited: g.inherited,
  });
}

/** The grant's position in the list (compared field by field), or -1. */
export function indexOfGrant(list: readonly GraphGrant[], grant: GraphGrant): number {
  for (let i = 0; i < list.length; i++) if (sameGrant(list[i]!, grant)) return i;
  return -1;
}

export function sameGrant(a: GraphGrant, b: GraphGrant): boolean {
  return (
    a.actorType === b.actorType &&
    a.actorId === b.actorId &&
    a.targetType === b.targetType &&
    a.targetId === b.targetId &&
    a.roleId === b.roleId &&
    a.inherited === b.inherited
  );
}
