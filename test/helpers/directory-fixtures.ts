/**
 * Test fixtures that write straight through the app's stores, for families that need users
 * holding roles before the Keystone API is there: a directory user plus system grants of
 * bootstrap roles (admin, manager, member, reader, service). Every store write reaches the role
 * graph through the change feed before it returns.
 */
import { grantRole } from './seed.js';
import type { TestApp } from './test-app.js';

export interface FixtureUser {
  readonly id: string;
  /** Defaults to the id. */
  readonly name?: string;
  readonly domainId?: string;
  /** Global roles granted on the system scope. */
  readonly systemRoles?: readonly string[];
}

export async function addUser(t: TestApp, u: FixtureUser): Promise<void> {
  const { stores } = t.portcullis.context;
  await stores.directory.users.create({ id: u.id, name: u.name ?? u.id, domainId: u.domainId ?? 'default', enabled: true });
  for (const name of u.systemRoles ?? []) await grantSystemRole(t, u.id, name);
}

export async function grantSystemRole(t: TestApp, userId: string, roleName: string): Promise<void> {
  await grantRole(t, { user: userId }, roleName, { system: true });
}

/** Registers a resource through the registry API (admin token). */
export async function register(t: TestApp, type: string, id: string, body: Record<string, unknown> = {}): Promise<void> {
  const res = await t.request('PUT', `/v1/resources/${type}/${encodeURIComponent(id)}`, { body });
  if (res.status !== 201 && res.status !== 200) throw new Error(`registering ${type}/${id}: ${res.status} ${res.text}`);
}
