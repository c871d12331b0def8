/**
 * A small directory and registry for the ManageIQ tests, written straight into the app's stores
 * and role graph (the Keystone API is another family's job): users, groups, memberships, grants,
 * and resources registered through `PUT /v1/resources`.
 */
import { expect } from 'vitest';
import { addMember, grantRole } from '../../helpers/seed.js';
import type { TestApp } from '../../helpers/test-app.js';

export const USERS = [
  { id: 'u-jdoe', name: 'jdoe' },
  { id: 'u-john', name: 'John Doe' },
  { id: 'u-old', name: 'Old Owner' },
  { id: 'u-alice', name: 'alice' },
  { id: 'u-mgr', name: 'manager1' },
  { id: 'u-reader', name: 'reader1' },
  { id: 'u-outsider', name: 'outsider' },
  // Two users named Pat in different domains: the lowest id wins (docs/compatibility.md §7 Q-5).
  { id: '20', name: 'Pat' },
  { id: '3', name: 'Pat', domainId: 'other' },
] as const;

export const GROUPS = [
  { id: 'g-test', name: 'testgroup', description: 'TestGroup' },
  { id: 'g-ops', name: 'ops', description: '' },
  { id: 'g-sales', name: 'sales', description: 'Sales Team' },
] as const;

export { addMember };

export async function seedWorld(t: TestApp): Promise<void> {
  const { stores } = t.portcullis.context;
  await stores.directory.domains.create({ id: 'other', name: 'Other', description: '', enabled: true });
  for (const u of USERS) {
    await stores.directory.users.create({ id: u.id, name: u.name, domainId: 'domainId' in u ? u.domainId : 'default', enabled: true });
  }
  for (const g of GROUPS) await stores.directory.groups.create({ ...g, domainId: 'default' });
  await addMember(t, 'g-test', 'u-alice');
  await addMember(t, 'g-ops', 'u-mgr');
}


/** Grants a bootstrap role (admin, manager, member, reader) to a user on a project. */
export async function grantOnProject(t: TestApp, userId: string, role: string, projectId: string): Promise<void> {
  await grantRole(t, { user: userId }, role, { project: projectId });
}

/** Registers (or replaces) a resource through the decision API, as an app would. */
export async function register(t: TestApp, type: string, id: string, body: Record<string, unknown> = { project_id: 'p1' }) {
  const res = await t.request('PUT', `/v1/resources/${type}/${id}`, { body });
  expect([200, 201]).toContain(res.status);
  return res.body.resource;
}

export async function registered(t: TestApp, type: string, id: string) {
  const res = await t.request('GET', `/v1/resources/${type}/${id}`);
  return res.body.resource as { owner: string | null; group: string | null } | undefined;
}

export function setOwnership(t: TestApp, path: string, body: unknown, options: { token?: string | null; headers?: Record<string, string> } = {}) {
  return t.request('POST', path, { body, ...options });
}
