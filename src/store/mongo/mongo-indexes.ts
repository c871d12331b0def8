/**
 * The collections the MongoDB store uses and the indexes it creates at start (docs/compatibility.md §6.3).
 * Unique indexes carry every uniqueness rule; nothing relies on multi-document transactions, so
 * the store runs on a standalone MongoDB and on FerretDB v1. Creating an index that exists is a
 * no-op on MongoDB; only missing indexes are sent, so every replica runs this at start.
 */
import type { Db, IndexDescription } from 'mongodb';

export const COLLECTIONS = {
  domains: 'domains',
  projects: 'projects',
  users: 'users',
  groups: 'groups',
  memberships: 'group_members',
  roles: 'roles',
  /** The implied-role rule set, one versioned document per change (see mongo-roles.ts). */
  inferences: 'implied_role_sets',
  grants: 'assignments',
  resources: 'resources',
  manilaLocks: 'manila_resource_locks',
  cdnLocks: 'cdn_locks',
  routeLocks: 'admin_locks',
  /** The ordered change feed every replica follows (see mongo-change-feed.ts). */
  changes: 'portcullis_changes',
  /** Capped; created by mongo-decision-log.ts (its only index is _id). */
  decisionLog: 'decision_log',
  passwords: 'user_passwords',
  tokenRevocations: 'token_revocations',
  secrets: 'portcullis_secrets',
  /** typeorm-adapter's collection (entity CasbinMongoRule). */
  policyRules: 'casbin_mongo_rule',
} as const;

const unique = (name: string, key: IndexDescription['key']): IndexDescription => ({ name, key, unique: true });
const plain = (name: string, key: IndexDescription['key']): IndexDescription => ({ name, key });

/** Every index, by collection. README "MongoDB" lists the same table. */
export const INDEXES: Readonly<Record<string, IndexDescription[]>> = {
  [COLLECTIONS.domains]: [unique('domain_name', { name: 1 })],
  [COLLECTIONS.projects]: [unique('project_domain_name', { domainId: 1, name: 1 }), plain('project_parent', { parentId: 1 })],
  [COLLECTIONS.users]: [unique('user_domain_name', { domainId: 1, name: 1 }), plain('user_name', { name: 1 })],
  [COLLECTIONS.groups]: [unique('group_domain_name', { domainId: 1, name: 1 })],
  [COLLECTIONS.memberships]: [unique('member_group_user', { groupId: 1, userId: 1 }), plain('member_user', { userId: 1 })],
  [COLLECTIONS.roles]: [unique('role_name_domain', { name: 1, domainKey: 1 })],
  [COLLECTIONS.changes]: [plain('change_state', { state: 1 })],
  [COLLECTIONS.grants]: [
    unique('assignment_unique', { type: 1, actor_id: 1, target_id: 1, role_id: 1, inherited: 1 }),
    plain('assignment_role', { role_id: 1 }),
    plain('assignment_target', { target_id: 1 }),
  ],
  [COLLECTIONS.resources]: [unique('resource_type_id', { type: 1, id: 1 }), plain('resource_owner', { owner: 1 })],
  [COLLECTIONS.manilaLocks]: [plain('manila_resource', { resourceId: 1 }), plain('manila_project', { projectId: 1 })],
  [COLLECTIONS.cdnLocks]: [unique('cdn_lock_cdn', { cdn: 1 }), plain('cdn_lock_user', { userId: 1 })],
  [COLLECTIONS.routeLocks]: [plain('admin_lock_user', { userId: 1 })],
  [COLLECTIONS.tokenRevocations]: [
    plain('revocation_user', { userId: 1, issuedBefore: 1 }),
    plain('revocation_expiry', { expiresAt: 1 }),
  ],
  // The model's widest section has 5 columns (a p row's optional condition), so (ptype, v0..v4) is a whole row.
  [COLLECTIONS.policyRules]: [unique('casbin_rule_row', { ptype: 1, v0: 1, v1: 1, v2: 1, v3: 1, v4: 1 })],
};

/**
 * Indexes an older version created that now get in the way, dropped where found: the unique
 * (ptype, v0..v3) index would refuse two p rows that differ only in their condition.
 */
const RETIRED: Record<string, readonly string[]> = {
  [COLLECTIONS.policyRules]: ['casbin_rule_unique'],
};

/**
 * Creates the indexes that are missing, by name. Only missing ones are sent: FerretDB v1.24
 * (SQLite) drops the connection on a `createIndexes` that repeats an existing index, which also
 * happens when replicas start together on a new database; so a failed attempt is retried after
 * re-listing (another replica has usually created the index by then).
 */
export async function ensureIndexes(db: Db, attempts = 6): Promise<void> {
  for (const [collection, indexes] of Object.entries(INDEXES)) {
    for (let attempt = 1; ; attempt++) {
      try {
        await createMissing(db, collection, indexes);
        break;
      } catch (err) {
        if (attempt >= attempts) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
      }
    }
  }
}

async function createMissing(db: Db, collection: string, indexes: IndexDescription[]): Promise<void> {
  const col = db.collection(collection);
  const listed = await col
    .listIndexes()
    .toArray()
    .catch((err: { code?: number }) => {
      if (err.code === 26) return []; // NamespaceNotFound: the collection does not exist yet
      throw err;
    });
  const existing = new Set(listed.map((i) => i.name as string));
  for (const name of RETIRED[collection] ?? []) if (existing.has(name)) await col.dropIndex(name);
  const missing = indexes.filter((i) => !existing.has(i.name!));
  if (missing.length > 0) await col.createIndexes(missing);
}
