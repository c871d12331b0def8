/** Keystone v3 JSON shapes for roles and directory entities (docs/compatibility.md §1.3, §8.1). */
import { isProject, type ProjectOrDomain } from '../../domain/identity/project-service.js';
import type { Domain, Group, User } from '../../store/directory-store.js';
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

/** Extra attributes at top level (as Keystone keeps them); `default_project_id` when set. */
export function userJson(user: User, links: Links) {
  return {
    ...user.extra,
    id: user.id,
    name: user.name,
    domain_id: user.domainId,
    enabled: user.enabled,
    ...(user.email != null ? { email: user.email } : {}),
    ...(user.description != null ? { description: user.description } : {}),
    ...(user.defaultProjectId != null ? { default_project_id: user.defaultProjectId } : {}),
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

/**
 * A top-level project's `parent_id` is its domain id, as in Keystone; a domain shown as a project
 * has neither domain nor parent and `is_domain: true`. The keys are exactly those tempest's
 * test_project_get_equals_list expects.
 */
export function projectJson(p: ProjectOrDomain, links: Links) {
  const project = isProject(p);
  return {
    id: p.id,
    name: p.name,
    domain_id: project ? p.domainId : null,
    parent_id: project ? (p.parentId ?? p.domainId) : null,
    description: p.description,
    enabled: p.enabled,
    is_domain: !project,
    tags: project ? [...(p.tags ?? [])] : [],
    links: { self: links.to(`/projects/${p.id}`) },
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
