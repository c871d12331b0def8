/** Keystone v3 JSON shapes for roles and directory entities (docs/compatibility.md §1.3, §8.1). */
import type { Domain, Group, Project, User } from '../../store/directory-store.js';
import type { Role } from '../../store/role-store.js';
import type { Links } from './links.js';

/** Full role: extra attributes at top level, `options` always present. */
export function roleJson(role: Role, links: Links) {
  return {
    ...role.extra,
    id: role.id,
    name: role.name,
    domain_id: role.domainId,
    description: role.description,
    options: { ...role.options },
    links: { self: links.to(`/roles/${role.id}`) },
  };
}

/** The `{id, name, links}` form used in implied-role bodies (docs/compatibility.md §1.6). */
export function roleRef(role: Role, links: Links) {
  return { id: role.id, name: role.name, links: { self: links.to(`/roles/${role.id}`) } };
}

export function userJson(user: User, links: Links) {
  return {
    id: user.id,
    name: user.name,
    domain_id: user.domainId,
    enabled: user.enabled,
    ...(user.email != null ? { email: user.email } : {}),
    ...(user.description != null ? { description: user.description } : {}),
    password_expires_at: null,
    options: {},
    links: { self: links.to(`/users/${user.id}`) },
  };
}

export function groupJson(group: Group, links: Links) {
  return {
    id: group.id,
    name: group.name,
    domain_id: group.domainId,
    description: group.description,
    links: { self: links.to(`/groups/${group.id}`) },
  };
}

/** A top-level project's `parent_id` is its domain id, as in Keystone. */
export function projectJson(project: Project, links: Links) {
  return {
    id: project.id,
    name: project.name,
    domain_id: project.domainId,
    parent_id: project.parentId ?? project.domainId,
    description: project.description,
    enabled: project.enabled,
    is_domain: false,
    tags: [],
    options: {},
    links: { self: links.to(`/projects/${project.id}`) },
  };
}

export function domainJson(domain: Domain, links: Links) {
  return {
    id: domain.id,
    name: domain.name,
    description: domain.description,
    enabled: domain.enabled,
    tags: [],
    options: {},
    links: { self: links.to(`/domains/${domain.id}`) },
  };
}

/** `{<key>: [...], links: {self, previous: null, next: null}}`. */
export function collection<T>(key: string, items: readonly T[], links: Links) {
  return { [key]: items, links: links.collection() };
}
