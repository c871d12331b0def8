/**
 * Role assignments on MongoDB in Keystone's shape (docs/compatibility.md §1.2): `type` (UserProject,
 * GroupDomain, UserSystem...), `actor_id`, `target_id`, `role_id`, `inherited`, unique on all
 * five, so a concurrent duplicate grant is refused by the index and reported as "already there".
 */
import type { Collection, Db, Filter } from 'mongodb';
import type { ActorType, Grant, GrantFilter, GrantStore, TargetType } from '../role-store.js';
import { guard, isDuplicateKey } from './mongo-errors.js';
import { COLLECTIONS } from './mongo-indexes.js';

interface GrantDoc {
  /** The five fields as one key (point writes by `_id`; see mongo-resources.ts). */
  _id?: string;
  type: string;
  actor_id: string;
  target_id: string;
  role_id: string;
  inherited: boolean;
}

const ACTORS: Record<ActorType, string> = { user: 'User', group: 'Group' };
const TARGETS: Record<TargetType, string> = { project: 'Project', domain: 'Domain', system: 'System' };
const TYPES = new Map<string, { actorType: ActorType; targetType: TargetType }>(
  (Object.keys(ACTORS) as ActorType[]).flatMap((a) =>
    (Object.keys(TARGETS) as TargetType[]).map((t) => [ACTORS[a] + TARGETS[t], { actorType: a, targetType: t }] as const),
  ),
);

function toDoc(g: Grant): GrantDoc & { _id: string } {
  const type = ACTORS[g.actorType] + TARGETS[g.targetType];
  return {
    _id: JSON.stringify([type, g.actorId, g.targetId, g.roleId, g.inherited]),
    type,
    actor_id: g.actorId,
    target_id: g.targetId,
    role_id: g.roleId,
    inherited: g.inherited,
  };
}

function fromDoc(d: GrantDoc): Grant {
  const kind = TYPES.get(d.type);
  if (!kind) throw new Error(`unknown assignment type ${d.type} in ${COLLECTIONS.grants}`);
  return {
    actorType: kind.actorType,
    actorId: d.actor_id,
    targetType: kind.targetType,
    targetId: d.target_id,
    roleId: d.role_id,
    inherited: d.inherited,
  };
}

function toQuery(f: GrantFilter): Filter<GrantDoc> {
  const q: Filter<GrantDoc> = {};
  const actors = f.actorType ? [ACTORS[f.actorType]] : Object.values(ACTORS);
  const targets = f.targetType ? [TARGETS[f.targetType]] : Object.values(TARGETS);
  if (f.actorType || f.targetType) q.type = { $in: actors.flatMap((a) => targets.map((t) => a + t)) };
  if (f.actorId !== undefined) q.actor_id = f.actorId;
  if (f.targetId !== undefined) q.target_id = f.targetId;
  if (f.roleId !== undefined) q.role_id = f.roleId;
  if (f.inherited !== undefined) q.inherited = f.inherited;
  return q;
}

export class MongoGrantStore implements GrantStore {
  private readonly col: Collection<GrantDoc>;

  constructor(db: Db) {
    this.col = db.collection<GrantDoc>(COLLECTIONS.grants);
  }

  add(grant: Grant) {
    return guard(async () => {
      try {
        await this.col.insertOne(toDoc(grant));
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    });
  }
  remove(grant: Grant) {
    return guard(async () => (await this.col.deleteOne({ _id: toDoc(grant)._id })).deletedCount === 1);
  }
  has(grant: Grant) {
    return guard(async () => (await this.col.countDocuments({ _id: toDoc(grant)._id }, { limit: 1 })) > 0);
  }
  list(filter: GrantFilter = {}) {
    return guard(async () => (await this.col.find(toQuery(filter), { projection: { _id: 0 } }).toArray()).map(fromDoc));
  }
  removeWhere(filter: GrantFilter) {
    return guard(async () => (await this.col.deleteMany(toQuery(filter))).deletedCount);
  }
}

/** The stored document of a grant (bulk loads write the same shape). */
export { toDoc as grantDoc };
