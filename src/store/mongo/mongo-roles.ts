/**
 * Roles and implied-role rules on MongoDB (docs/compatibility.md §1.2, §6.3). Role names are unique per
 * `domainKey` (domain id, or `<<null>>` for global roles) through a unique index. A role's extra
 * properties are kept as a JSON string: client keys may contain `.` or `$`, or nest arrays, which
 * FerretDB v1 refuses as document fields.
 */
import type { Collection, Db, Filter } from 'mongodb';
import { closesCycle, type Inference, type InferenceStore, type Role, type RoleFilter, type RoleStore } from '../role-store.js';
import { DuplicateError, InferenceCycleError } from '../store-errors.js';
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

/**
 * The implied-role rules as one set, stored as a new document per change: `_id` is the set's
 * version and a change inserts version + 1. The unique `_id` lets exactly one of two concurrent
 * changes to the same version win (a compare-and-set with an insert: FerretDB v1's conditional
 * updates are not atomic); the loser reads the new set and decides again. So acyclicity is decided
 * against the set as stored, and two replicas adding X ⇒ Y and Y ⇒ X at once cannot both succeed.
 * Only the latest KEEP_VERSIONS documents are kept.
 */
interface RuleSetDoc {
  _id: number;
  rules: { prior_role_id: string; implied_role_id: string }[];
  at: string;
}

const KEEP_VERSIONS = 20;
const MAX_ATTEMPTS = 200;

export class MongoInferenceStore implements InferenceStore {
  private readonly col: Collection<RuleSetDoc>;

  constructor(db: Db) {
    this.col = db.collection<RuleSetDoc>(COLLECTIONS.inferences);
  }

  add(rule: Inference) {
    return guard(async () => {
      await this.change((rules) => {
        if (rules.some((r) => same(r, rule))) throw new DuplicateError('implied role');
        if (closesCycle(rules, rule)) throw new InferenceCycleError(rule.priorRoleId, rule.impliedRoleId);
        return [...rules, { priorRoleId: rule.priorRoleId, impliedRoleId: rule.impliedRoleId }];
      });
    });
  }
  remove(rule: Inference) {
    return guard(() => this.change((rules) => (rules.some((r) => same(r, rule)) ? rules.filter((r) => !same(r, rule)) : undefined)));
  }
  has(rule: Inference) {
    return guard(async () => (await this.current()).rules.some((r) => same(r, rule)));
  }
  list(filter: { priorRoleId?: string } = {}) {
    return guard(async () =>
      (await this.current()).rules
        .filter((r) => filter.priorRoleId === undefined || r.priorRoleId === filter.priorRoleId)
        .sort((a, b) => (a.priorRoleId !== b.priorRoleId ? (a.priorRoleId < b.priorRoleId ? -1 : 1) : a.impliedRoleId < b.impliedRoleId ? -1 : 1)),
    );
  }
  removeForRole(roleId: string) {
    return guard(async () => {
      const names = (r: Inference) => r.priorRoleId === roleId || r.impliedRoleId === roleId;
      await this.change((rules) => (rules.some(names) ? rules.filter((r) => !names(r)) : undefined));
    });
  }

  private async current(): Promise<{ version: number; rules: Inference[] }> {
    const [top] = await this.col.find({}).sort({ _id: -1 }).limit(1).toArray();
    return {
      version: top?._id ?? 0,
      rules: (top?.rules ?? []).map((r) => ({ priorRoleId: r.prior_role_id, impliedRoleId: r.implied_role_id })),
    };
  }

  /** Compare-and-set: `edit` returns the next set (or undefined: nothing to change). True when changed. */
  private async change(edit: (rules: Inference[]) => Inference[] | undefined): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const { version, rules } = await this.current();
      const next = edit(rules);
      if (!next) return false;
      const doc = {
        _id: version + 1,
        rules: next.map((r) => ({ prior_role_id: r.priorRoleId, implied_role_id: r.impliedRoleId })),
        at: new Date().toISOString(),
      };
      try {
        await this.col.insertOne(doc);
      } catch (err) {
        if (isDuplicateKey(err)) continue; // another replica changed the set first: decide again
        throw err;
      }
      if (doc._id % KEEP_VERSIONS === 0) await this.col.deleteMany({ _id: { $lte: doc._id - KEEP_VERSIONS } });
      return true;
    }
    throw new Error(`could not change the implied-role rules after ${MAX_ATTEMPTS} attempts (too many concurrent writers)`);
  }
}

const same = (a: Inference, b: Inference) => a.priorRoleId === b.priorRoleId && a.impliedRoleId === b.impliedRoleId;

/** The stored document of a role (bulk loads write the same shape). */
export { toDoc as roleDoc };
