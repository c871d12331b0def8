/**
 * What deleting a directory entity or role takes with it, once, for the services that delete one
 * (after their policy check) and for a domain's deletion, which takes everything in the domain.
 * Each deletes the entity first and what references it after (see `referencesHold` in deps.ts);
 * every store write reaches the role graph through the change feed.
 */
import type { IdentityDeps } from './deps.js';

/** A user: its grants, memberships, CDN and route locks, resource ownership and password. */
export async function removeUser(deps: IdentityDeps, id: string): Promise<boolean> {
  const { stores } = deps;
  if (!(await stores.directory.users.delete(id))) return false;
  await stores.grants.removeWhere({ actorType: 'user', actorId: id });
  await stores.directory.memberships.removeUser(id);
  await stores.cdnLocks.deleteForUser(id);
  await stores.routeLocks.deleteForUser(id);
  await stores.resources.clearOwner(id);
  await deps.passwords.forget(id);
  return true;
}

/** A group: its grants and memberships. */
export async function removeGroup(deps: IdentityDeps, id: string): Promise<boolean> {
  if (!(await deps.stores.directory.groups.delete(id))) return false;
  await deps.stores.grants.removeWhere({ actorType: 'group', actorId: id });
  await deps.stores.directory.memberships.removeGroup(id);
  return true;
}

/** A project (the caller makes sure it has no children): the grants on it. */
export async function removeProject(deps: IdentityDeps, id: string): Promise<boolean> {
  if (!(await deps.stores.directory.projects.delete(id))) return false;
  await deps.stores.grants.removeWhere({ targetType: 'project', targetId: id });
  return true;
}

/** A role: its grants and the inference rules naming it. */
export async function removeRole(deps: IdentityDeps, id: string): Promise<boolean> {
  if (!(await deps.stores.roles.delete(id))) return false;
  await deps.stores.grants.removeWhere({ roleId: id });
  await deps.stores.inferences.removeForRole(id);
  return true;
}

/**
 * A domain and everything in it, as Keystone deletes a (disabled) domain: its projects (leaves
 * first), users, groups and domain-specific roles with what each takes along, then the grants on
 * the domain and the domain itself.
 */
export async function removeDomain(deps: IdentityDeps, id: string): Promise<boolean> {
  const { directory, roles, grants } = deps.stores;
  const projects = await directory.projects.list({ domainId: id });
  for (const p of leavesFirst(projects)) await removeProject(deps, p.id);
  for (const u of await directory.users.list({ domainId: id })) await removeUser(deps, u.id);
  for (const g of await directory.groups.list({ domainId: id })) await removeGroup(deps, g.id);
  for (const r of await roles.list({ domainId: id })) await removeRole(deps, r.id);
  if (!(await directory.domains.delete(id))) return false;
  await grants.removeWhere({ targetType: 'domain', targetId: id });
  return true;
}

/** Projects ordered so that every project comes before its parent. */
function leavesFirst<P extends { id: string; parentId: string | null }>(projects: readonly P[]): P[] {
  const depth = new Map<string, number>();
  const byId = new Map(projects.map((p) => [p.id, p]));
  const depthOf = (p: P): number => {
    const known = depth.get(p.id);
    if (known !== undefined) return known;
    const parent = p.parentId ? byId.get(p.parentId) : undefined;
    const d = parent ? depthOf(parent) + 1 : 0;
    depth.set(p.id, d);
    return d;
  };
  return [...projects].sort((a, b) => depthOf(b) - depthOf(a));
}
