/**
 * A small Keystone client over the test app: creates directory entities through the family's own
 * endpoints (ids come from responses) and looks up bootstrap roles by name.
 */
import { expect } from 'vitest';
import type { TestApp } from '../../helpers/test-app.js';

export const V3 = '/identity/v3';

export class KeystoneClient {
  private roleIds = new Map<string, string>();

  constructor(readonly t: TestApp) {}

  async roleId(name: string, domainId?: string): Promise<string> {
    const key = `${domainId ?? ''}/${name}`;
    const known = this.roleIds.get(key);
    if (known) return known;
    const q = domainId ? `?name=${name}&domain_id=${domainId}` : `?name=${name}`;
    const res = await this.t.request('GET', `${V3}/roles${q}`);
    expect(res.status).toBe(200);
    const id = res.body.roles[0]?.id as string;
    expect(id).toBeTruthy();
    this.roleIds.set(key, id);
    return id;
  }

  private async create(kind: string, body: Record<string, unknown>): Promise<string> {
    const res = await this.t.request('POST', `${V3}/${kind}s`, { body: { [kind]: body } });
    expect(res.status, res.text).toBe(201);
    return res.body[kind].id as string;
  }

  domain(name: string) {
    return this.create('domain', { name });
  }
  project(name: string, extra: { domain_id?: string; parent_id?: string } = {}) {
    return this.create('project', { name, ...extra });
  }
  user(name: string, domainId = 'default') {
    return this.create('user', { name, domain_id: domainId });
  }
  group(name: string, domainId = 'default') {
    return this.create('group', { name, domain_id: domainId });
  }
  role(name: string, extra: Record<string, unknown> = {}) {
    return this.create('role', { name, ...extra });
  }

  /** PUT a grant path (relative to /v3) and expect 204. */
  async grant(path: string): Promise<void> {
    const res = await this.t.request('PUT', `${V3}${path}`);
    expect(res.status, res.text).toBe(204);
  }

  async addMember(groupId: string, userId: string): Promise<void> {
    const res = await this.t.request('PUT', `${V3}/groups/${groupId}/users/${userId}`);
    expect(res.status, res.text).toBe(204);
  }

  /** An AuthZEN evaluation: may `userId` do `action` on the registered resource? */
  async decide(userId: string, action: string, type: string, id: string): Promise<boolean> {
    const res = await this.t.request('POST', '/access/v1/evaluation', {
      body: { subject: { type: 'user', id: userId }, action: { name: action }, resource: { type, id } },
    });
    expect(res.status, res.text).toBe(200);
    return res.body.decision as boolean;
  }

  async register(type: string, id: string, projectId: string): Promise<void> {
    const res = await this.t.request('PUT', `/v1/resources/${type}/${id}`, { body: { project_id: projectId } });
    expect([200, 201]).toContain(res.status);
  }
}

/** Keystone's error envelope with the given status and message. */
export function expectError(res: { status: number; body: any }, status: number, message?: string | RegExp): void {
  expect(res.status).toBe(status);
  expect(res.body.error.code).toBe(status);
  expect(typeof res.body.error.title).toBe('string');
  if (typeof message === 'string') expect(res.body.error.message).toBe(message);
  else if (message) expect(res.body.error.message).toMatch(message);
}
