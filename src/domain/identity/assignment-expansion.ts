/**
 * The role-assignment listing itself (docs/compatibility.md §1.7), as a pure function over a snapshot of grants,
 * roles, inference rules, memberships and the project tree. Direct mode lists stored grants that
 * match the filters. Effective mode computes what a token would carry: group grants expanded to
 * members, OS-INHERIT grants expanded onto the projects they reach, implied roles added
 * (cycle-safe), domain-specific roles stripped, then the role filter. System grants never appear
 * in effective mode (§7 K-3).
 */
import type { Grant } from '../../store/role-store.js';

export interface AssignmentQuery {
  readonly userId?: string;
  readonly groupId?: string;
  readonly roleId?: string;
  readonly projectId?: string;
  readonly domainId?: string;
  /** `scope.system=all`. */
  readonly system: boolean;
  /** undefined: both kinds; true: inherited only; false: non-inherited only. */
  readonly inherited?: boolean;
  readonly effective: boolean;
  readonly includeSubtree: boolean;
}

export interface Snapshot {
  readonly grants: readonly Grant[];
  /** roleId → domain id (null for a global role); roles absent here are ignored. */
  readonly roleDomains: ReadonlyMap<string, string | null>;
  /** prior roleId → implied roleIds (direct rules). */
  readonly implies: ReadonlyMap<string, readonly string[]>;
  readonly membersOf: (groupId: string) => readonly string[];
  readonly groupsOf: (userId: string) => readonly string[];
  /** projectId → its domain and parent. */
  readonly projects: ReadonlyMap<string, { readonly domainId: string; readonly parentId: string | null }>;
}

/** One listed assignment, with what its links need. */
export interface AssignmentEntry {
  readonly actor: { readonly type: 'user' | 'group'; readonly id: string };
  readonly roleId: string;
  readonly scope: { readonly type: 'project' | 'domain' | 'system'; readonly id: string };
  /** Shown as `"OS-INHERIT:inherited_to": "projects"`. */
  readonly inherited: boolean;
  /** The stored grant the entry comes from (links.assignment). */
  readonly source: Grant;
  /** Set on user entries derived from a group grant (links.membership). */
  readonly viaGroup?: string;
  /** Set on implied entries: the role that implied this one (links.prior_role). */
  readonly priorRoleId?: string;
}

export function listAssignments(q: AssignmentQuery, s: Snapshot): AssignmentEntry[] {
  const projectSet = q.projectId !== undefined ? projectScope(q.projectId, q.includeSubtree, s) : undefined;
  const entries = q.effective ? effectiveEntries(q, s, projectSet) : directEntries(q, s, projectSet);
  return q.roleId === undefined ? entries : entries.filter((e) => e.roleId === q.roleId);
}

function directEntries(q: AssignmentQuery, s: Snapshot, projects: ReadonlySet<string> | undefined) {
  return s.grants
    .filter((g) => s.roleDomains.has(g.roleId))
    .filter((g) => (q.userId === undefined ? true : g.actorType === 'user' && g.actorId === q.userId))
    .filter((g) => (q.groupId === undefined ? true : g.actorType === 'group' && g.actorId === q.groupId))
    .filter((g) => q.inherited === undefined || g.inherited === q.inherited)
    .filter((g) => {
      if (q.system) return g.targetType === 'system';
      if (projects) return g.targetType === 'project' && projects.has(g.targetId);
      if (q.domainId !== undefined) return g.targetType === 'domain' && g.targetId === q.domainId;
      return true;
    })
    .map(
      (g): AssignmentEntry => ({
        actor: { type: g.actorType, id: g.actorId },
        roleId: g.roleId,
        scope: { type: g.targetType, id: g.targetId },
        inherited: g.inherited,
        source: g,
      }),
    );
}

function effectiveEntries(q: AssignmentQuery, s: Snapshot, projects: ReadonlySet<string> | undefined) {
  const groups = q.userId !== undefined ? new Set(s.groupsOf(q.userId)) : undefined;
  const grants = s.grants.filter(
    (g) =>
      g.targetType !== 'system' &&
      s.roleDomains.has(g.roleId) &&
      (q.inherited === undefined || g.inherited === q.inherited) &&
      (q.userId === undefined ||
        (g.actorType === 'user' ? g.actorId === q.userId : groups!.has(g.actorId))),
  );
  const out: AssignmentEntry[] = [];
  for (const grant of grants) {
    for (const user of usersOf(grant, q, s)) {
      for (const scope of scopesOf(grant, s)) {
        if (projects && !(scope.type === 'project' && projects.has(scope.id))) continue;
        if (q.domainId !== undefined && !(scope.type === 'domain' && scope.id === q.domainId)) continue;
        out.push({
          actor: { type: 'user', id: user },
          roleId: grant.roleId,
          scope,
          inherited: grant.inherited,
          source: grant,
          ...(grant.actorType === 'group' ? { viaGroup: grant.actorId } : {}),
        });
      }
    }
  }
  return withImplied(out, s).filter((e) => s.roleDomains.get(e.roleId) === null);
}

function usersOf(g: Grant, q: AssignmentQuery, s: Snapshot): readonly string[] {
  if (g.actorType === 'user') return [g.actorId];
  const members = s.membersOf(g.actorId);
  return q.userId === undefined ? members : members.filter((u) => u === q.userId);
}

/** Where a grant takes effect: its target, or (OS-INHERIT) every project below it. */
function scopesOf(g: Grant, s: Snapshot): { type: 'project' | 'domain'; id: string }[] {
  const type = g.targetType as 'project' | 'domain';
  if (!g.inherited) return [{ type, id: g.targetId }];
  const ids =
    type === 'domain'
      ? [...s.projects].filter(([, p]) => p.domainId === g.targetId).map(([id]) => id)
      : [...descendants(g.targetId, s)];
  return ids.map((id) => ({ type: 'project', id }));
}

/** Adds a copy of each entry for every role its role implies, transitively; a visited set stops cycles. */
function withImplied(entries: readonly AssignmentEntry[], s: Snapshot): AssignmentEntry[] {
  const seen = new Set<string>();
  const out: AssignmentEntry[] = [];
  const queue = [...entries];
  while (queue.length) {
    const entry = queue.shift()!;
    const key = entryKey(entry);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(entry);
    for (const implied of s.implies.get(entry.roleId) ?? []) {
      if (s.roleDomains.has(implied)) queue.push({ ...entry, roleId: implied, priorRoleId: entry.roleId });
    }
  }
  return out;
}

function entryKey(e: AssignmentEntry): string {
  const g = e.source;
  return [e.actor.id, e.roleId, e.scope.type, e.scope.id, e.inherited, g.actorType, g.actorId, g.targetId, g.roleId, e.priorRoleId ?? '']
    .join('\u0000');
}

function projectScope(projectId: string, subtree: boolean, s: Snapshot): Set<string> {
  const set = new Set([projectId]);
  if (subtree) for (const id of descendants(projectId, s)) set.add(id);
  return set;
}

/** Every project below the given one (not itself). */
export function descendants(projectId: string, s: Pick<Snapshot, 'projects'>): Set<string> {
  const children = new Map<string, string[]>();
  for (const [id, p] of s.projects) {
    if (p.parentId) children.set(p.parentId, [...(children.get(p.parentId) ?? []), id]);
  }
  const out = new Set<string>();
  const queue = [...(children.get(projectId) ?? [])];
  while (queue.length) {
    const id = queue.shift()!;
    if (out.has(id) || id === projectId) continue;
    out.add(id);
    queue.push(...(children.get(id) ?? []));
  }
  return out;
}
