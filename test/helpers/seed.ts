/**
 * Test fixtures written straight into the app's stores, for tests that need users, projects or
 * grants without going through the Keystone family. The change feed carries each write to the
 * role graph (and, on MongoDB, the decision mirrors) before it returns.
 */
import type { Grant } from '../../src/store/role-store.js';
import type { TestApp } from './test-app.js';

type Target = { project: string } | { domain: string } | { system: true };

export async function addUser(t: TestApp, id: string, domainId = 'default'): Promise<void> {
  await t.portcullis.context.stores.directory.users.create({ id, name: id, domainId, enabled: true });
}

export async function addProject(t: TestApp, id: string, domainId = 'default', parentId: string | null = null): Promise<void> {
  await t.portcullis.context.stores.directory.projects.create({ id, name: id, domainId, parentId, description: '', enabled: true });
}

export async function addMember(t: TestApp, groupId: string, userId: string): Promise<void> {
  await t.portcullis.context.stores.directory.memberships.add(groupId, userId);
}

/** Grants a global role by name to a user (or group) on a project, domain or the system. */
export async function grantRole(
  t: TestApp,
  actor: { user: string } | { group: string },
  roleName: string,
  target: Target,
  inherited = false,
): Promise<Grant> {
  const { stores } = t.portcullis.context;
  const [role] = await stores.roles.list({ name: roleName, domainId: null });
  if (!role) throw new Error(`no global role named ${roleName}`);
  const grant = {
    actorType: 'user' in actor ? ('user' as const) : ('group' as const),
    actorId: 'user' in actor ? actor.user : actor.group,
    targetType: 'project' in target ? ('project' as const) : 'domain' in target ? ('domain' as const) : ('system' as const),
    targetId: 'project' in target ? target.project : 'domain' in target ? target.domain : 'system',
    roleId: role.id,
    inherited,
  };
  await stores.grants.add(grant);
  return grant;
}

/** Undoes a grant made by grantRole. */
export async function revokeGrant(t: TestApp, grant: Grant): Promise<void> {
  await t.portcullis.context.stores.grants.remove(grant);
}
