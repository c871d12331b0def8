/** In-memory roles, implied-role rules and grants. */
import { plainCopy } from '../plain-copy.js';
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
import { appended } from '../../compact-array.js';
import { indexOfGrant } from '../../engine/role-graph.js';
import { closesCycle } from '../role-store.js';
import { DuplicateError, InferenceCycleError } from '../store-errors.js';

const domainKey = (d: string | null) => d ?? '<<null>>';

export class MemoryRoleStore implements RoleStore {
  private readonly byId = new Map<string, Role>();

  async create(role: Role) {
    if (this.byId.has(role.id)) throw new DuplicateError('role id');
    this.assertUnique(role);
    this.byId.set(role.id, plainCopy(role));
    return plainCopy(role);
  }
  async get(id: string) {
    const r = this.byId.get(id);
    return r && plainCopy(r);
  }
  async list(filter: RoleFilter = {}) {
    return [...this.byId.values()]
      .filter((r) => filter.name === undefined || r.name === filter.name)
      .filter((r) => filter.domainId === undefined || r.domainId === filter.domainId)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((r) => plainCopy(r));
  }
  async update(role: Role) {
    if (!this.byId.has(role.id)) return undefined;
    this.assertUnique(role);
    this.byId.set(role.id, plainCopy(role));
    return plainCopy(role);
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

/**
 * Grants by actor. Records are frozen copies made on write and handed out as they are: the role
 * graph keeps the same objects (RoleGraph.addGrant keeps a frozen grant), so a grant is held once
 * in memory, not once here and once there (~100k at dataset M).
 *
 * Ids arrive as separate strings (decoded from a request or built by a generator): a stored
 * grant shares one copy of each. The actor id is its list's first grant's; role and target ids
 * come from `ids`, which holds each role and target id once (a few thousand: bounded by the
 * roles and scopes that ever had a grant, where the grants number 100k at M: ~3 MB saved).
 */
export class MemoryGrantStore implements GrantStore {
  /** Per actor type, by actor id. */
  private readonly byActor = { user: new Map<string, Grant[]>(), group: new Map<string, Grant[]>() };
  private readonly ids = new Map<string, string>();
  private readonly shared = (id: string): string => {
    const known = this.ids.get(id);
    if (known !== undefined) return known;
    this.ids.set(id, id);
    return id;
  };

  private listOf(g: { actorType: Grant['actorType']; actorId: string }): Grant[] | undefined {
    return this.byActor[g.actorType].get(g.actorId);
  }

  async add(grant: Grant) {
    const byActor = this.byActor[grant.actorType];
    const list = byActor.get(grant.actorId);
    if (list && indexOfGrant(list, grant) >= 0) return false;
    const stored: Grant = Object.freeze({
      actorType: grant.actorType,
      actorId: list ? list[0]!.actorId : grant.actorId,
      targetType: grant.targetType,
      targetId: this.shared(grant.targetId),
      roleId: this.shared(grant.roleId),
      inherited: grant.inherited,
    });
    const kept = appended(list, stored);
    if (kept !== list) byActor.set(stored.actorId, kept);
    return true;
  }
  async remove(grant: Grant) {
    const list = this.listOf(grant);
    const i = list ? indexOfGrant(list, grant) : -1;
    if (i < 0) return false;
    list!.splice(i, 1);
    if (!list!.length) this.byActor[grant.actorType].delete(grant.actorId);
    return true;
  }
  async has(grant: Grant) {
    const list = this.listOf(grant);
    return list !== undefined && indexOfGrant(list, grant) >= 0;
  }
  async list(filter: GrantFilter = {}) {
    const lists =
      filter.actorType !== undefined && filter.actorId !== undefined
        ? [this.listOf({ actorType: filter.actorType, actorId: filter.actorId }) ?? []]
        : [...(filter.actorType !== 'group' ? this.byActor.user.values() : []), ...(filter.actorType !== 'user' ? this.byActor.group.values() : [])];
    const out: Grant[] = [];
    for (const list of lists) for (const g of list) if (grantMatches(g, filter)) out.push(g);
    return out;
  }
  async removeWhere(filter: GrantFilter) {
    const matching = await this.list(filter);
    for (const g of matching) await this.remove(g);
    return matching.length;
  }
}
