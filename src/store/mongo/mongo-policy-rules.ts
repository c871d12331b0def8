/**
 * Stored policy rows on MongoDB through Casbin's typeorm-adapter (docs/architecture.md, "Why the engine looks the way it does").
 * The adapter is used only to add rows, one at a time: never `savePolicy` (it drops the
 * collection), never `loadPolicy` (it re-parses rows as CSV with naive quoting), and not
 * `removePolicy` (it deletes every row that starts with the given values, so removing a `p` row
 * would also remove the same row with a condition); `list` and `remove` use the adapter's TypeORM
 * repository with the exact row. The adapter creates no index, so `ensureIndexes` adds a unique
 * one on the whole row, (ptype, v0..v4). Every row is stored with v4 (`''` for no condition):
 * FerretDB v1 does not enforce a unique index over a missing field, MongoDB does; rows written
 * before v4 existed have none and are matched as `''`. Rows are checked here before they reach
 * the adapter (at most 5 values: a `p` row's optional condition is the fifth; values non-empty).
 */
import 'reflect-metadata';
import TypeORMAdapterModule from 'typeorm-adapter';
import type { MongoRepository, ObjectLiteral } from 'typeorm';
import type { PolicyRuleStore, StoredRule } from '../policy-rule-store.js';
import { guard, isDuplicateKey } from './mongo-errors.js';

// typeorm-adapter is CommonJS with a default export; under ESM it arrives wrapped once more.
type Adapter = import('typeorm-adapter').default;
const TypeORMAdapter = ((TypeORMAdapterModule as unknown as { default?: unknown }).default ??
  TypeORMAdapterModule) as typeof import('typeorm-adapter').default;

const COLUMNS = ['v0', 'v1', 'v2', 'v3', 'v4'] as const;
/** v4 of a row without a condition. */
const NONE = '';
/** Casbin calls policy rows "p" sections whatever their ptype (p, p2, p3). */
const SECTION = 'p';

export class PolicyRowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyRowError';
  }
}

function check(rule: StoredRule): void {
  if (!/^[a-z][a-z0-9_]*$/.test(rule.ptype)) throw new PolicyRowError(`invalid policy type "${rule.ptype}"`);
  if (rule.values.length < 1 || rule.values.length > COLUMNS.length) {
    throw new PolicyRowError(`a stored row takes 1 to ${COLUMNS.length} values, got ${rule.values.length}`);
  }
  if (rule.values.some((v) => typeof v !== 'string' || v.length === 0)) {
    throw new PolicyRowError('stored row values must be non-empty strings');
  }
}

/** The row as stored: every column present, `''` past the row's values. */
function stored(rule: StoredRule): string[] {
  return COLUMNS.map((_, i) => rule.values[i] ?? NONE);
}

/** The exact row as a query; an empty column also matches a row stored without it. */
function rowQuery(rule: StoredRule): Record<string, unknown> {
  const q: Record<string, unknown> = { ptype: rule.ptype };
  stored(rule).forEach((v, i) => (q[COLUMNS[i]!] = v === NONE ? { $in: [NONE, null] } : v));
  return q;
}

export class MongoPolicyRuleStore implements PolicyRuleStore {
  private constructor(
    private readonly adapter: Adapter,
    private readonly repo: MongoRepository<ObjectLiteral>,
  ) {}

  /** Opens the adapter's own TypeORM DataSource on the same database. */
  static async open(uri: string, dbName: string, serverSelectionTimeoutMS: number): Promise<MongoPolicyRuleStore> {
    const adapter = await guard(() =>
      TypeORMAdapter.newAdapter({ type: 'mongodb', url: uri, database: dbName, synchronize: false, extra: { serverSelectionTimeoutMS } }),
    );
    // The adapter keeps its DataSource private; its repository is the one documented way to read rows.
    const internals = adapter as unknown as {
      typeorm: { getMongoRepository(e: unknown): MongoRepository<ObjectLiteral> };
      getCasbinRuleConstructor(): unknown;
    };
    return new MongoPolicyRuleStore(adapter, internals.typeorm.getMongoRepository(internals.getCasbinRuleConstructor()));
  }

  list(): Promise<StoredRule[]> {
    return guard(async () => {
      const rows = await this.repo.find({ order: { ptype: 'ASC', v0: 'ASC', v1: 'ASC', v2: 'ASC', v3: 'ASC', v4: 'ASC' } });
      return rows.map((r) => ({
        ptype: String(r.ptype),
        values: COLUMNS.map((c) => r[c] as unknown).filter((v): v is string => typeof v === 'string' && v !== NONE),
      }));
    });
  }

  add(rule: StoredRule): Promise<boolean> {
    check(rule);
    return guard(async () => {
      if ((await this.repo.count(rowQuery(rule))) > 0) return false;
      try {
        await this.adapter.addPolicy(SECTION, rule.ptype, stored(rule));
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false; // a concurrent add stored the same row first
        throw err;
      }
    });
  }

  remove(rule: StoredRule): Promise<boolean> {
    check(rule);
    return guard(async () => {
      const { deletedCount } = await this.repo.deleteMany(rowQuery(rule));
      return deletedCount > 0;
    });
  }

  close(): Promise<void> {
    return this.adapter.close();
  }
}
