/**
 * Test fixtures for the Manila family: microversion headers, role grants (written to the store
 * and applied to the live role graph, as the Keystone family would), and registered shares.
 */
import { randomUUID } from 'node:crypto';
import { grantRole, revokeGrant } from '../../helpers/seed.js';
import type { RequestOptions, TestApp, TestResponse } from '../../helpers/test-app.js';

export const V = { 'X-OpenStack-Manila-API-Version': '2.81' };
export const LOCKS = '/share/v2/resource-locks';

/** Grants a bootstrap role (admin, member, reader, service...) on a project or the system. */
export async function grant(t: TestApp, userId: string, roleName: string, on: { project: string } | 'system') {
  const g = await grantRole(t, { user: userId }, roleName, on === 'system' ? { system: true } : on);
  return () => revokeGrant(t, g);
}

/** Registers a share in the registry through the decision API; returns its id. */
export async function share(
  t: TestApp,
  projectId: string,
  extra: { status?: string; attributes?: Record<string, unknown>; owner?: string } = {},
): Promise<string> {
  const id = randomUUID();
  const res = await t.request('PUT', `/v1/resources/share/${id}`, { body: { project_id: projectId, ...extra } });
  if (res.status !== 201) throw new Error(`register share: ${res.status} ${res.text}`);
  return id;
}

/** A request to the Manila API at microversion 2.81 (headers merged). */
export function manila(t: TestApp, method: string, path: string, opts: RequestOptions = {}): Promise<TestResponse> {
  return t.request(method, path, { ...opts, headers: { ...V, ...opts.headers } });
}

/** Creates a lock on a share; throws unless 200. */
export async function lock(t: TestApp, token: string, resourceId: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await manila(t, 'POST', LOCKS, { token, headers, body: { resource_lock: { resource_id: resourceId, ...extra } } });
  if (res.status !== 200) throw new Error(`create lock: ${res.status} ${res.text}`);
  return res.body.resource_lock as Record<string, any>;
}

export const hex = () => randomUUID().replace(/-/g, '');
