/**
 * One `role_assignments` entry on the wire (docs/compatibility.md §1.7): role, user or group, scope, links
 * (`assignment`, plus `membership` for group-derived entries and `prior_role` for implied ones),
 * and with `include_names` the names and owning domains.
 */
import type { AssignmentEntry, NameBook } from '../../domain/identity/identity-services.js';
import type { Links } from './links.js';

export function assignmentJson(e: AssignmentEntry, links: Links, names: NameBook | undefined) {
  const actorKey = e.actor.type;
  const out: Record<string, unknown> = {
    role: roleOf(e.roleId, names),
    [actorKey]: actorOf(e.actor.type, e.actor.id, names),
    scope: scopeOf(e, names),
    links: linksOf(e, links),
  };
  return out;
}

function linksOf(e: AssignmentEntry, links: Links): Record<string, string> {
  const g = e.source;
  const target = g.targetType === 'system' ? '/system' : `/${g.targetType}s/${g.targetId}`;
  const actor = e.viaGroup ? `/groups/${e.viaGroup}` : `/${e.actor.type}s/${e.actor.id}`;
  let path = `${target}${actor}/roles/${e.priorRoleId ?? e.roleId}`;
  if (e.inherited) path = `/OS-INHERIT${path}/inherited_to_projects`;
  const out: Record<string, string> = { assignment: links.to(path) };
  if (e.viaGroup) out.membership = links.to(`/groups/${e.viaGroup}/users/${e.actor.id}`);
  // §7 K-4: upstream's odd path with the ids reversed, reproduced.
  if (e.priorRoleId) out.prior_role = links.to(`/prior_role/${e.roleId}/implies/${e.priorRoleId}`);
  return out;
}

function scopeOf(e: AssignmentEntry, names: NameBook | undefined): Record<string, unknown> {
  const scope: Record<string, unknown> = {};
  if (e.scope.type === 'system') scope.system = { all: true };
  else if (e.scope.type === 'domain') {
    const d = names?.domains.get(e.scope.id);
    scope.domain = names ? { id: e.scope.id, name: d?.name ?? '' } : { id: e.scope.id };
  } else {
    const p = names?.projects.get(e.scope.id);
    scope.project = names
      ? { id: e.scope.id, name: p?.name ?? '', domain: domainOf(p?.domainId, names) }
      : { id: e.scope.id };
  }
  if (e.inherited) scope['OS-INHERIT:inherited_to'] = 'projects';
  return scope;
}

function roleOf(roleId: string, names: NameBook | undefined) {
  if (!names) return { id: roleId };
  const role = names.roles.get(roleId);
  return {
    id: roleId,
    name: role?.name ?? '',
    ...(role?.domainId ? { domain: domainOf(role.domainId, names) } : {}),
  };
}

/** A user or group missing from the directory gets empty names (docs/compatibility.md §1.7). */
function actorOf(type: 'user' | 'group', id: string, names: NameBook | undefined) {
  if (!names) return { id };
  const entity = type === 'user' ? names.users.get(id) : names.groups.get(id);
  return { id, name: entity?.name ?? '', domain: domainOf(entity?.domainId, names) };
}

function domainOf(domainId: string | undefined, names: NameBook) {
  if (!domainId) return { id: '', name: '' };
  return { id: domainId, name: names.domains.get(domainId)?.name ?? '' };
}
