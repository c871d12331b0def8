/**
 * What an import document points at must exist, in the document or already in the store: a
 * project's domain and parent, a user's or group's domain, a membership's group and user, a
 * role's domain, an implied role's two roles, a grant's actor, role and target. The stores take
 * their callers' word for these (the APIs check them first), so an import that named a missing
 * role would store a grant of nothing. Resources and locks are not checked: their own APIs accept
 * ids outside the directory (an app's owner ids, a lock kept after its creator was deleted).
 */
import type { Stores } from '../../store/stores.js';
import type { ExportDocument } from './document.js';

/** One line per missing reference (`grants: user u1 holds r1 on project p1: no role r1`). */
export async function missingReferences(stores: Stores, doc: ExportDocument): Promise<string[]> {
  const d = stores.directory;
  const exists = (listed: readonly { id: string }[], get: (id: string) => Promise<unknown>) => {
    const ids = new Set(listed.map((x) => x.id));
    const stored = new Map<string, Promise<boolean>>();
    return (id: string) => {
      if (ids.has(id)) return Promise.resolve(true);
      let answer = stored.get(id);
      if (!answer) stored.set(id, (answer = get(id).then((x) => x !== undefined)));
      return answer;
    };
  };
  const domain = exists(doc.domains, (id) => d.domains.get(id));
  const project = exists(doc.projects, (id) => d.projects.get(id));
  const user = exists(doc.users, (id) => d.users.get(id));
  const group = exists(doc.groups, (id) => d.groups.get(id));
  const role = exists(doc.roles, (id) => stores.roles.get(id));
  // A Keystone project acting as a domain (is_domain) may be named where a domain is.
  const domainLike = async (id: string) => (await domain(id)) || (await project(id));
  const actor = (type: 'user' | 'group', id: string) => (type === 'user' ? user(id) : group(id));
  const target = (type: 'project' | 'domain' | 'system', id: string) =>
    type === 'system' ? Promise.resolve(true) : type === 'project' ? project(id) : domainLike(id);

  const missing: string[] = [];
  const need = async (present: Promise<boolean>, where: string, what: string) => {
    if (!(await present)) missing.push(`${where}: no ${what}`);
  };
  for (const p of doc.projects) {
    await need(domainLike(p.domainId), `projects: ${p.id}`, `domain ${p.domainId}`);
    if (p.parentId !== null) await need(project(p.parentId), `projects: ${p.id}`, `parent project ${p.parentId}`);
  }
  for (const u of doc.users) await need(domainLike(u.domainId), `users: ${u.id}`, `domain ${u.domainId}`);
  for (const g of doc.groups) await need(domainLike(g.domainId), `groups: ${g.id}`, `domain ${g.domainId}`);
  for (const m of doc.memberships) {
    await need(group(m.groupId), `memberships: ${m.groupId}/${m.userId}`, `group ${m.groupId}`);
    await need(user(m.userId), `memberships: ${m.groupId}/${m.userId}`, `user ${m.userId}`);
  }
  for (const r of doc.roles) if (r.domainId !== null) await need(domainLike(r.domainId), `roles: ${r.id}`, `domain ${r.domainId}`);
  for (const i of doc.implied_roles) {
    const where = `implied_roles: ${i.priorRoleId} => ${i.impliedRoleId}`;
    await need(role(i.priorRoleId), where, `role ${i.priorRoleId}`);
    await need(role(i.impliedRoleId), where, `role ${i.impliedRoleId}`);
  }
  for (const g of doc.grants) {
    const where = `grants: ${g.actorType} ${g.actorId} holds ${g.roleId} on ${g.targetType} ${g.targetId}`;
    await need(actor(g.actorType, g.actorId), where, `${g.actorType} ${g.actorId}`);
    await need(role(g.roleId), where, `role ${g.roleId}`);
    await need(target(g.targetType, g.targetId), where, `${g.targetType} ${g.targetId}`);
  }
  return missing;
}
