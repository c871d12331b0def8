/** In-memory roles, implied-role rules and grants. */
import type {
  Grant,
  GrantFilter,
  GrantStore,
  Inference,
  InferenceStore,
  Role,
  RoleFilter,
  RoleStore,
} from '../role-store.js';
import { closesCycle } from '../role-store.js';
import { DuplicateError, InferenceCycleError } from '../store-errors.js';

const domainKey = (d: string | null) => d ?? '<<null>>';

export class MemoryRoleStore implements RoleStore {
  private readonly byId = new Map<string, Role>();

  async create(role: Role) {
    if (this.byId.has(role.id)) throw new DuplicateError('role id');
    this.assertUnique(role);
    this.byId.set(role.id, structuredClone(role));
    return structuredClone(role);
  }
  async get(id: string) {
    const r = this.byId.get(id);
    return r && structuredClone(r);
  }
  async list(filter: RoleFilter = {}) {
    return [...this.byId.values()]
      .filter((r) => filter.name === undefined || r.name === filter.name)
      .filter((r) => filter.domainId === undefined || r.domainId === filter.domainId)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((r) => structuredClone(r));
  }
  async update(role: Role) {
    if (!this.byId.has(role.id)) return undefined;
    this.assertUnique(role);
    this.byId.set(role.id, structuredClone(role));
    return structuredClone(role);
  }
  async delete(id: string) {
    return this.byId.delete(id);
  }
  private assertUnique(role: Role) {
    for (const r of this.byId.values()) {
      if (r.id !== role.id && r.name === role.name && domainKey(r.domainId) === domainKey(role.domainId)) {
        throw new DuplicateError('role name');
      }
    }
  }
}

export class MemoryInferenceStore implements InferenceStore {
  private readonly rules = new Map<string, Inference>();
  private key = (r: Inference) => `${r.priorRoleId}\u0000${r.impliedRoleId}`;

  async add(rule: Inference) {
    if (this.rules.has(this.key(rule))) throw new DuplicateError('implied role');
    if (closesCycle([...this.rules.values()], rule)) throw new InferenceCycleError(rule.priorRoleId, rule.impliedRoleId);
    this.rules.set(this.key(rule), { priorRoleId: rule.priorRoleId, impliedRoleId: rule.impliedRoleId });
  }
  async remove(rule: Inference) {
    return this.rules.delete(this.key(rule));
  }
  async has(rule: Inference) {
    return this.rules.has(this.key(rule));
  }
  async list(filter: { priorRoleId?: string } = {}) {
    return [...this.rules.values()]
      .filter((r) => filter.priorRoleId === undefined || r.priorRoleId === filter.priorRoleId)
      .map((r) => ({ ...r }));
  }
  async removeForRole(roleId: string) {
    for (const [k, r] of this.rules) {
      if (r.priorRoleId === roleId || r.impliedRoleId === roleId) this.rules.delete(k);
    }
  }
}

export function grantMatches(g: Grant, f: GrantFilter): boolean {
  return (
    (f.actorType === undefined || g.actorType === f.actorType) &&
    (f.actorId === undefined || g.actorId === f.actorId) &&
    (f.targetType === undefined || g.targetType === f.targetType) &&
    (f.targetId === undefined || g.targetId === f.targetId) &&
    (f.roleId === undefined || g.roleId === f.roleId) &&
    (f.inherited === undefined || g.inherited === f.inherited)
  );
}

export class MemoryGrantStore implements GrantStore {
  private readonly grants = new Map<string, Grant>();
  private key = (g: Grant) =>
    [g.actorType, g.actorId, g.targetType, g.targetId, g.roleId, String(g.inherited)].join('\u0000');

  async add(grant: Grant) {
    const k = this.key(grant);
    if (this.grants.has(k)) return false;
    this.grants.set(k, { ...grant });
    return true;
  }
  async remove(grant: Grant) {
    return this.grants.delete(this.key(grant));
  }
  async has(grant: Grant) {
    return this.grants.has(this.key(grant));
  }
  async list(filter: GrantFilter = {}) {
    return [...this.grants.values()].filter((g) => grantMatches(g, filter)).map((g) => ({ ...g }));
  }
  async removeWhere(filter: GrantFilter) {
    let n = 0;
    for (const [k, g] of this.grants) {
      if (grantMatches(g, filter)) {
        this.grants.delete(k);
        n++;
      }
    }
    return n;
  }
}
