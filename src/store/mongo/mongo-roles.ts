/**
 * Roles and implied-role rules on MongoDB (docs/compatibility.md §1.2, §6.3). Role names are unique per
 * `domainKey` (domain id, or `<<null>>` for global roles) through a unique index. A role's extra
 * properties are kept as a JSON string: client keys may contain `.` or `$`, or nest arrays, which
 * FerretDB v1 refuses as document fields.
 */
import type { Collection, Db, Filter } from 'mongodb';
import type { Inference, InferenceStore, Role, RoleFilter, RoleStore } from '../role-store.js';
import { DuplicateError } from '../store-errors.js';
import { guard, isDuplicateKey } from './mongo-errors.js';
import { COLLECTIONS } from './mongo-indexes.js';

export const NULL_DOMAIN_KEY = '<<null>>';

interface RoleDoc {
  _id: string;
  name: string;
  domain_id: string | null;
  domainKey: string;
  description: string | null;
  options: { immutable?: boolean };
  extra: string;
}

const toDoc = (r: Role): RoleDoc => ({
  _id: r.id,
  name: r.name,
  domain_id: r.domainId,
  domainKey: r.domainId ?? NULL_DOMAIN_KEY,
  description: r.description,
  options: { ...r.options },
  extra: JSON.stringify(r.extra ?? {}),
});

const fromDoc = (d: RoleDoc): Role => ({
  id: d._id,
  name: d.name,
  domainId: d.domain_id,
  description: d.description,
  options: { ...d.options },
  extra: JSON.parse(d.extra) as Record<string, unknown>,
});

export class MongoRoleStore implements RoleStore {
  private readonly col: Collection<RoleDoc>;

  constructor(db: Db) {
    this.col = db.collection<RoleDoc>(COLLECTIONS.roles);
  }

  create(role: Role) {
    return guard(async () => {
      try {
        await this.col.insertOne(toDoc(role));
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const sameId = await this.col.findOne({ _id: role.id }, { projection: { _id: 1 } });
        throw new DuplicateError(sameId ? 'role id' : 'role name');
      }
      return fromDoc(toDoc(role));
    });
  }
  get(id: string) {
    return guard(async () => {
      const d = await this.col.findOne({ _id: id });
      return d ? fromDoc(d) : undefined;
    });
  }
  list(filter: RoleFilter = {}) {
    const q: Filter<RoleDoc> = {};
    if (filter.name !== undefined) q.name = filter.name;
    if (filter.domainId !== undefined) q.domainKey = filter.domainId ?? NULL_DOMAIN_KEY;
    return guard(async () => (await this.col.find(q).sort({ _id: 1 }).toArray()).map(fromDoc));
  }
  update(role: Role) {
    return guard(async () => {
      try {
        const res = await this.col.replaceOne({ _id: role.id }, toDoc(role));
        return res.matchedCount === 0 ? undefined : fromDoc(toDoc(role));
      } catch (err) {
        if (isDuplicateKey(err)) throw new DuplicateError('role name');
        throw err;
      }
    });
  }
  delete(id: string) {
    return guard(async () => (await this.col.deleteOne({ _id: id })).deletedCount === 1);
  }
}

interface InferenceDoc {
  prior_role_id: string;
  implied_role_id: string;
}

const pair = (r: Inference): InferenceDoc => ({ prior_role_id: r.priorRoleId, implied_role_id: r.impliedRoleId });

export class MongoInferenceStore implements InferenceStore {
  private readonly col: Collection<InferenceDoc>;

  constructor(db: Db) {
    this.col = db.collection<InferenceDoc>(COLLECTIONS.inferences);
  }

  add(rule: Inference) {
    return guard(async () => {
      try {
        await this.col.insertOne(pair(rule));
      } catch (err) {
        if (isDuplicateKey(err)) throw new DuplicateError('implied role');
        throw err;
      }
    });
  }
  remove(rule: Inference) {
    return guard(async () => (await this.col.deleteOne(pair(rule))).deletedCount === 1);
  }
  has(rule: Inference) {
    return guard(async () => (await this.col.countDocuments(pair(rule), { limit: 1 })) > 0);
  }
  list(filter: { priorRoleId?: string } = {}) {
    const q = filter.priorRoleId === undefined ? {} : { prior_role_id: filter.priorRoleId };
    return guard(async () =>
      (await this.col.find(q).sort({ prior_role_id: 1, implied_role_id: 1 }).toArray()).map((d) => ({
        priorRoleId: d.prior_role_id,
        impliedRoleId: d.implied_role_id,
      })),
    );
  }
  removeForRole(roleId: string) {
    return guard(
      async () => void (await this.col.deleteMany({ $or: [{ prior_role_id: roleId }, { implied_role_id: roleId }] })),
    );
  }
}
