/**
 * Writes and reads through the public HTTP APIs of a real Portcullis process, for the restart and
 * two-replica tests: Keystone (`/identity/v3`), the registry and stored policy rules (`/v1`),
 * Manila resource locks, Traffic Ops CDN locks, route locks (`/admin/lock`) and ManageIQ
 * `set_ownership`. Ids come from the responses; every write asserts its documented status.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { mintToken } from '../helpers/test-app.js';
import { dropDatabase } from '../helpers/mongo-env.js';
import { decide, startServer, type ServerProcess } from './server-process.js';

export const V3 = '/identity/v3';
export const MANILA_LOCKS = '/share/v2/resource-locks';
export const MANILA_281 = { 'X-OpenStack-Manila-API-Version': '2.81' };
export const CDN_LOCKS = '/api/4.0/cdn_locks';

type Scope = { project?: string; domain?: string; system?: boolean };

export class ApiClient {
  private readonly roleIds = new Map<string, string>();

  constructor(readonly server: ServerProcess) {}

  /** The same client (and role-id cache) talking to another replica. */
  via(server: ServerProcess): ApiClient {
    const other = new ApiClient(server);
    for (const [k, v] of this.roleIds) other.roleIds.set(k, v);
    return other;
  }

  async expect(status: number, method: string, path: string, body?: unknown, token?: string, headers?: Record<string, string>) {
    const res = await this.server.json(method, path, body, { ...(token ? { token } : {}), ...(headers ? { headers } : {}) });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  }

  token(userId: string, scope: Scope = {}): Promise<string> {
    return mintToken(userId, scope);
  }

  // Keystone directory, grants, implied roles.
  private async create(kind: string, body: Record<string, unknown>): Promise<string> {
    return (await this.expect(201, 'POST', `${V3}/${kind}s`, { [kind]: body }))[kind].id as string;
  }
  project(name: string, parentId?: string) {
    return this.create('project', { name, domain_id: 'default', ...(parentId ? { parent_id: parentId } : {}) });
  }
  user(name: string) {
    return this.create('user', { name, domain_id: 'default' });
  }
  group(name: string) {
    return this.create('group', { name, domain_id: 'default' });
  }
  role(name: string) {
    return this.create('role', { name });
  }
  async roleId(name: string): Promise<string> {
    const known = this.roleIds.get(name);
    if (known) return known;
    const roles = (await this.expect(200, 'GET', `${V3}/roles?name=${name}`)).roles as { id: string }[];
    expect(roles).toHaveLength(1);
    this.roleIds.set(name, roles[0]!.id);
    return roles[0]!.id;
  }
  /** PUT a grant (path relative to /v3, `{role}` = the role's id) and expect 204. */
  async grant(path: string, role: string): Promise<void> {
    await this.expect(204, 'PUT', `${V3}${path.replace('{role}', await this.roleId(role))}`);
  }
  async addMember(groupId: string, userId: string): Promise<void> {
    await this.expect(204, 'PUT', `${V3}/groups/${groupId}/users/${userId}`);
  }
  async imply(prior: string, implied: string): Promise<void> {
    await this.expect(201, 'PUT', `${V3}/roles/${await this.roleId(prior)}/implies/${await this.roleId(implied)}`);
  }

  // Registry, ownership, stored policy rules.
  async register(type: string, id: string, body: Record<string, unknown> = {}): Promise<void> {
    const res = await this.server.json('PUT', `/v1/resources/${type}/${encodeURIComponent(id)}`, body);
    expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
  }
  /** Registers a share under a fresh UUID (Manila wants UUID resource ids). */
  async share(projectId: string, extra: Record<string, unknown> = {}): Promise<string> {
    const id = randomUUID();
    await this.expect(201, 'PUT', `/v1/resources/share/${id}`, { project_id: projectId, ...extra });
    return id;
  }
  async setOwnership(collection: string, id: string, ownerId: string): Promise<void> {
    const body = await this.expect(200, 'POST', `/api/${collection}/${id}`, { action: 'set_ownership', resource: { owner: { id: ownerId } } });
    expect(body.success).toBe(true);
  }
  async owner(type: string, id: string): Promise<string | null> {
    return (await this.expect(200, 'GET', `/v1/resources/${type}/${id}`)).resource.owner as string | null;
  }
  async addRule(values: string[]): Promise<void> {
    await this.expect(201, 'POST', '/v1/policy/rules', { ptype: 'p', values });
  }
  async removeRule(values: string[]): Promise<void> {
    await this.expect(200, 'DELETE', '/v1/policy/rules', { ptype: 'p', values });
  }

  // Locks.
  /** A Manila delete lock taken by the token's user; returns the lock's id. */
  async manilaLock(token: string, shareId: string, reason: string): Promise<string> {
    const body = await this.expect(200, 'POST', MANILA_LOCKS, { resource_lock: { resource_id: shareId, lock_reason: reason } }, token, MANILA_281);
    return body.resource_lock.id as string;
  }
  async showManilaLock(id: string) {
    return (await this.expect(200, 'GET', `${MANILA_LOCKS}/${id}`, undefined, undefined, MANILA_281)).resource_lock;
  }
  async cdnLock(token: string, lock: { cdn: string; soft?: boolean; message?: string; sharedUserNames?: string[] }): Promise<void> {
    await this.expect(201, 'POST', CDN_LOCKS, lock, token);
  }
  async cdnLocks(cdn: string): Promise<any[]> {
    return (await this.expect(200, 'GET', `${CDN_LOCKS}?cdn=${encodeURIComponent(cdn)}`)).response;
  }
  /** POST /admin/lock as the token's user; returns the `{data, code}` reply. */
  async routeLock(token: string, route: string, id: string) {
    const res = await this.server.json('POST', '/admin/lock', { route, id }, { token });
    return { status: res.status, body: res.body };
  }

  decide(subject: string, action: string, type: string, id: string, context?: Record<string, unknown>): Promise<boolean> {
    return decide(this.server, subject, action, type, id, context);
  }

  /**
   * Waits until this replica has applied every change finished so far, from any replica: a fully
   * consistent evaluation catches up before it checks the caller, so it works even while this
   * replica has yet to see the admin's own grant.
   */
  async caughtUp(): Promise<void> {
    await this.decide('admin', 'read', 'vms', 'any', { consistency: 'full' });
  }
}

/**
 * Two replicas started at once on a fresh database (index creation and bootstrap race on purpose).
 * Each is caught up before it is handed out: a replica that found the other mid-bootstrap loaded a
 * partial store and sees the rest within the staleness bound, not at once.
 */
export interface ReplicaPair {
  readonly a: ApiClient;
  readonly b: ApiClient;
  /** Stops both and drops the database. */
  stop(): Promise<void>;
}

export async function startReplicaPair(uri: string, dbName: string, env: Record<string, string> = {}): Promise<ReplicaPair> {
  const full = { MONGODB_URI: uri, MONGODB_DB: dbName, ...env };
  const servers = await Promise.all([startServer(full), startServer(full)]);
  const a = new ApiClient(servers[0]!);
  const b = a.via(servers[1]!);
  await Promise.all([a.caughtUp(), b.caughtUp()]);
  return {
    a,
    b,
    async stop() {
      await Promise.all(servers.map((s) => s.kill('SIGTERM')));
      await dropDatabase(uri, dbName);
    },
  };
}
