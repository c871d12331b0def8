/**
 * Export and import of everything decisions depend on (document.ts), straight on a store bundle.
 *
 * Import merges; it never deletes or overwrites. An entity is the same as one already stored
 * when it has the same id, or else the same unique name (a domain's name; a project's, user's or
 * group's name in its domain; a role's name and domain). When the target holds it under another
 * id (e.g. the `admin` role a fresh Portcullis bootstrapped with an id of its own), the document's
 * references follow the target's id: `planImport` rewrites the document first, then `applyImport`
 * writes what is missing. Everything already there is kept as it is.
 */
import type { Stores } from '../../store/stores.js';
import { badRequest } from '../../errors.js';
import { DuplicateError, InferenceCycleError } from '../../store/store-errors.js';
import { EXPORT_FORMAT, EXPORT_VERSION, SECTIONS, type ExportDocument, type Section } from './document.js';
import { missingReferences } from './references.js';

export async function exportStores(stores: Stores): Promise<ExportDocument> {
  const { directory: d } = stores;
  const [domains, projects, users, groups, memberships, roles, inferences, grants, manila, cdn, route, rules] = await Promise.all([
    d.domains.list(),
    d.projects.list(),
    d.users.list(),
    d.groups.list(),
    d.memberships.all(),
    stores.roles.list(),
    stores.inferences.list(),
    stores.grants.list(),
    stores.manilaLocks.list({ sortKey: 'id', sortDir: 'asc' }),
    stores.cdnLocks.list(),
    stores.routeLocks.list(),
    stores.policyRules.list(),
  ]);
  const resources = [];
  let after: string | undefined;
  do {
    const page = await stores.resources.list({}, { limit: 1000, ...(after ? { after } : {}) });
    resources.push(...page.items);
    after = page.next;
  } while (after);
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exported_at: new Date().toISOString(),
    domains,
    projects,
    users: users.map((u) => ({ ...u })),
    groups,
    memberships,
    roles: roles.map((r) => ({ ...r, options: { ...r.options }, extra: { ...r.extra } })),
    implied_roles: inferences,
    grants,
    resources: resources.map((r) => ({ ...r, attributes: { ...r.attributes } })),
    manila_locks: manila.items,
    cdn_locks: cdn.map((c) => ({ ...c, sharedUserIds: [...c.sharedUserIds], sharedUserNames: [...c.sharedUserNames] })),
    route_locks: route,
    rules: rules.map((r) => ({ ptype: r.ptype as 'p' | 'p2' | 'p3', values: [...r.values] })),
  };
}

export interface ImportPlan {
  /** The document with its references rewritten to the target's ids. */
  readonly document: ExportDocument;
  /** Entities the target already holds under another id, by kind. */
  readonly renamed: Readonly<Record<string, number>>;
}

/** Maps the document's ids to the target's for entities the target holds under another id. */
export function planImport(doc: ExportDocument, target: ExportDocument): ImportPlan {
  const renamed: Record<string, number> = {};
  const mapper = <T extends { id: string }>(kind: string, items: readonly T[], existing: readonly T[], nameKey: (t: T) => string) => {
    const ids = new Set(existing.map((e) => e.id));
    const byName = new Map(existing.map((e) => [nameKey(e), e.id]));
    const map = new Map<string, string>();
    for (const item of items) {
      if (ids.has(item.id)) continue;
      const other = byName.get(nameKey(item));
      if (other !== undefined && other !== item.id) {
        map.set(item.id, other);
        renamed[kind] = (renamed[kind] ?? 0) + 1;
      }
    }
    return (id: string) => map.get(id) ?? id;
  };
  const domain = mapper('domains', doc.domains, target.domains, (x) => x.name);
  const inDomain = (x: { domainId: string; name: string }) => `${domain(x.domainId)}\u0000${x.name}`;
  const project = mapper('projects', doc.projects.map((p) => ({ ...p, domainId: domain(p.domainId) })), target.projects, inDomain);
  const user = mapper('users', doc.users.map((u) => ({ ...u, domainId: domain(u.domainId) })), target.users, inDomain);
  const group = mapper('groups', doc.groups.map((g) => ({ ...g, domainId: domain(g.domainId) })), target.groups, inDomain);
  const roleDomain = (d: string | null) => (d === null ? null : domain(d));
  const role = mapper(
    'roles',
    doc.roles.map((r) => ({ ...r, domainId: roleDomain(r.domainId) })),
    target.roles,
    (r) => `${r.domainId ?? ''}\u0000${r.name}`,
  );
  const orNull = (f: (id: string) => string, v: string | null) => (v === null ? null : f(v));
  const actor = (type: 'user' | 'group', id: string) => (type === 'user' ? user(id) : group(id));
  const targetOf = (type: 'project' | 'domain' | 'system', id: string) => (type === 'project' ? project(id) : type === 'domain' ? domain(id) : id);
  return {
    renamed,
    document: {
      ...doc,
      domains: doc.domains.map((x) => ({ ...x, id: domain(x.id) })),
      projects: doc.projects.map((x) => ({ ...x, id: project(x.id), domainId: domain(x.domainId), parentId: orNull(project, x.parentId) })),
      users: doc.users.map((x) => ({ ...x, id: user(x.id), domainId: domain(x.domainId) })),
      groups: doc.groups.map((x) => ({ ...x, id: group(x.id), domainId: domain(x.domainId) })),
      memberships: doc.memberships.map((m) => ({ groupId: group(m.groupId), userId: user(m.userId) })),
      roles: doc.roles.map((r) => ({ ...r, id: role(r.id), domainId: roleDomain(r.domainId) })),
      implied_roles: doc.implied_roles.map((i) => ({ priorRoleId: role(i.priorRoleId), impliedRoleId: role(i.impliedRoleId) })),
      grants: doc.grants.map((g) => ({ ...g, actorId: actor(g.actorType, g.actorId), targetId: targetOf(g.targetType, g.targetId), roleId: role(g.roleId) })),
      resources: doc.resources.map((r) => ({
        ...r,
        projectId: orNull(project, r.projectId),
        domainId: orNull(domain, r.domainId),
        owner: orNull(user, r.owner),
        group: orNull(group, r.group),
      })),
      manila_locks: doc.manila_locks.map((l) => ({ ...l, userId: user(l.userId), projectId: project(l.projectId) })),
      cdn_locks: doc.cdn_locks.map((l) => ({ ...l, userId: user(l.userId), sharedUserIds: l.sharedUserIds.map(user) })),
      route_locks: doc.route_locks.map((l) => ({ ...l, userId: user(l.userId) })),
    },
  };
}

export interface SectionReport {
  created: number;
  kept: number;
}

export interface ImportReport {
  readonly sections: Readonly<Record<Section, SectionReport>>;
  /** Records refused because another entity already holds their unique name, or an implied role that would close a cycle (first 20). */
  readonly conflicts: readonly string[];
}

/**
 * Writes every record the stores do not hold yet (by id); see the module comment. Every write goes
 * through the change feed like any other, so this server's role graph and policy, and other
 * replicas', follow on their own.
 */
export async function applyImport(stores: Stores, doc: ExportDocument): Promise<ImportReport> {
  const missing = await missingReferences(stores, doc);
  if (missing.length) {
    const shown = missing.slice(0, 20).join('; ') + (missing.length > 20 ? `; and ${missing.length - 20} more` : '');
    throw badRequest(`the document names what neither it nor the store holds; nothing was written: ${shown}`);
  }
  const sections = Object.fromEntries(SECTIONS.map((s) => [s, { created: 0, kept: 0 }])) as Record<Section, SectionReport>;
  const conflicts: string[] = [];
  const write = async <T>(section: Section, items: readonly T[], exists: (t: T) => Promise<boolean>, put: (t: T) => Promise<boolean | unknown>, label: (t: T) => string) => {
    for (const item of items) {
      try {
        if (await exists(item)) sections[section].kept++;
        else if ((await put(item)) === false) sections[section].kept++;
        else sections[section].created++;
      } catch (err) {
        // Kept out like a duplicate: a unique name held by another entity, or an implied role
        // that would close a cycle with the rules already stored.
        if (!(err instanceof DuplicateError || err instanceof InferenceCycleError)) throw err;
        if (conflicts.length < 20) conflicts.push(`${section}: ${label(item)} (${err.message})`);
      }
    }
  };
  const d = stores.directory;
  await write('domains', doc.domains, async (x) => !!(await d.domains.get(x.id)), (x) => d.domains.create(x), (x) => x.id);
  await write('projects', parentsFirst(doc.projects), async (x) => !!(await d.projects.get(x.id)), (x) => d.projects.create(x), (x) => x.id);
  await write('users', doc.users, async (x) => !!(await d.users.get(x.id)), (x) => d.users.create(x), (x) => x.id);
  await write('groups', doc.groups, async (x) => !!(await d.groups.get(x.id)), (x) => d.groups.create(x), (x) => x.id);
  await write('memberships', doc.memberships, (m) => d.memberships.has(m.groupId, m.userId), (m) => d.memberships.add(m.groupId, m.userId), (m) => `${m.groupId}/${m.userId}`);
  await write('roles', doc.roles, async (x) => !!(await stores.roles.get(x.id)), (x) => stores.roles.create(x), (x) => x.id);
  await write('implied_roles', doc.implied_roles, (i) => stores.inferences.has(i), (i) => stores.inferences.add(i), (i) => `${i.priorRoleId}=>${i.impliedRoleId}`);
  await write('grants', doc.grants, (g) => stores.grants.has(g), (g) => stores.grants.add(g), (g) => `${g.actorType}:${g.actorId} ${g.roleId} on ${g.targetType}:${g.targetId}`);
  await write('resources', doc.resources, async (r) => !!(await stores.resources.get(r.type, r.id)), (r) => stores.resources.put(r), (r) => `${r.type}/${r.id}`);
  await write('manila_locks', doc.manila_locks, async (l) => !!(await stores.manilaLocks.get(l.id)), (l) => stores.manilaLocks.create(l), (l) => l.id);
  await write('cdn_locks', doc.cdn_locks, async (l) => !!(await stores.cdnLocks.get(l.cdn)), (l) => stores.cdnLocks.create(l), (l) => l.cdn);
  await write('route_locks', doc.route_locks, async () => false, (l) => stores.routeLocks.reinstate(l), (l) => `${l.route}:${l.resourceId}`);
  await write('rules', doc.rules, async () => false, (r) => stores.policyRules.add(r), (r) => `${r.ptype}, ${r.values.join(', ')}`);
  return { sections, conflicts };
}

/** Projects ordered so a parent comes before its children (the document may list them in any order). */
export function parentsFirst<T extends { id: string; parentId: string | null }>(projects: readonly T[]): T[] {
  const byId = new Map(projects.map((p) => [p.id, p]));
  const out: T[] = [];
  const seen = new Set<string>();
  const visit = (p: T, path: Set<string>) => {
    if (seen.has(p.id) || path.has(p.id)) return;
    path.add(p.id);
    const parent = p.parentId ? byId.get(p.parentId) : undefined;
    if (parent) visit(parent, path);
    seen.add(p.id);
    out.push(p);
  };
  for (const p of projects) visit(p, new Set());
  return out;
}
