/**
 * The three lock families' storage (docs/compatibility.md §2.2, §3.2, §4.2). Atomicity comes from one unique
 * key per lock where the family allows only one (CDN name; route + id), and single-document
 * conditional writes for acquire/release.
 */
export type LockContext = 'user' | 'admin' | 'service';

/** Manila resource lock. Timestamps are ISO-8601 strings in UTC. */
export interface ManilaLock {
  readonly id: string;
  readonly userId: string;
  readonly projectId: string;
  readonly lockContext: LockContext;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceAction: string;
  readonly lockReason: string | null;
  readonly createdAt: string;
  readonly updatedAt: string | null;
}

export type ManilaSortKey =
  | 'id'
  | 'resource_id'
  | 'resource_type'
  | 'resource_action'
  | 'user_id'
  | 'project_id'
  | 'created_at'
  | 'updated_at'
  | 'lock_context'
  /** Not in the api-ref's list, but python-manilaclient offers it (`--sort-key lock_reason`). */
  | 'lock_reason';

/** The ManilaLock field each wire sort key orders by (both stores sort the same way). */
export const MANILA_SORT_FIELDS: Readonly<Record<ManilaSortKey, keyof ManilaLock>> = {
  id: 'id',
  resource_id: 'resourceId',
  resource_type: 'resourceType',
  resource_action: 'resourceAction',
  user_id: 'userId',
  project_id: 'projectId',
  created_at: 'createdAt',
  updated_at: 'updatedAt',
  lock_context: 'lockContext',
  lock_reason: 'lockReason',
};

export interface ManilaLockQuery {
  readonly id?: string;
  readonly userId?: string;
  /** Exact project, or undefined for every project (all_projects). */
  readonly projectId?: string;
  readonly resourceId?: string;
  readonly resourceType?: string;
  readonly resourceAction?: string;
  readonly lockContext?: string;
  readonly lockReason?: string;
  /** Case-insensitive substring of lock_reason (docs/compatibility.md §7 M-10). */
  readonly lockReasonContains?: string;
  /** Inclusive ISO bounds on createdAt. */
  readonly createdSince?: string;
  readonly createdBefore?: string;
  readonly sortKey: ManilaSortKey;
  readonly sortDir: 'asc' | 'desc';
  readonly limit?: number;
  readonly offset?: number;
}

/** The exact-match filters a query sets, as (lock field, value) pairs (shared by both stores). */
export function manilaExactFilters(q: ManilaLockQuery): [keyof ManilaLock, string][] {
  const pairs: [keyof ManilaLock, string | undefined][] = [
    ['id', q.id],
    ['userId', q.userId],
    ['projectId', q.projectId],
    ['resourceId', q.resourceId],
    ['resourceType', q.resourceType],
    ['resourceAction', q.resourceAction],
    ['lockContext', q.lockContext],
    ['lockReason', q.lockReason],
  ];
  return pairs.filter((p): p is [keyof ManilaLock, string] => p[1] !== undefined);
}

export interface ManilaLockStore {
  create(lock: ManilaLock): Promise<ManilaLock>;
  get(id: string): Promise<ManilaLock | undefined>;
  /** `total` counts every match before limit/offset. */
  list(query: ManilaLockQuery): Promise<{ items: ManilaLock[]; total: number }>;
  update(
    id: string,
    change: { resourceAction?: string; lockReason?: string | null; updatedAt: string },
  ): Promise<ManilaLock | undefined>;
  delete(id: string): Promise<boolean>;
  /** Live locks on a resource, any project (used by decisions). */
  forResource(resourceId: string): Promise<ManilaLock[]>;
  /** forResource synchronously, from memory (optional, read-only records; see ResourceStore.getSync). */
  forResourceSync?(resourceId: string): readonly ManilaLock[];
  /** Cascade when a registered resource is deleted: its locks of that type go (another type's resource may share the id). */
  deleteForResource(resourceType: string, resourceId: string): Promise<number>;
}

/** Traffic Ops CDN lock: at most one per CDN. */
export interface CdnLock {
  readonly cdn: string;
  readonly userId: string;
  readonly userName: string;
  readonly message: string | null;
  readonly soft: boolean;
  readonly sharedUserIds: readonly string[];
  readonly sharedUserNames: readonly string[];
  readonly lastUpdated: string;
}

export interface CdnLockStore {
  /** Throws DuplicateError when the CDN already has a lock (whoever holds it). */
  create(lock: CdnLock): Promise<CdnLock>;
  get(cdn: string): Promise<CdnLock | undefined>;
  /** get synchronously, from memory (optional, read-only record; see ResourceStore.getSync). */
  getSync?(cdn: string): CdnLock | undefined;
  /** Ordered by cdn. */
  list(filter?: { cdn?: string; userName?: string }): Promise<CdnLock[]>;
  /** Deletes the CDN's lock if held by `ownerId` (or by anyone when ownerId is undefined). */
  deleteIf(cdn: string, ownerId?: string): Promise<CdnLock | undefined>;
  /** Cascade when a user is deleted: their locks go, and they leave others' shared lists. */
  deleteForUser(userId: string): Promise<void>;
}

/** Route + id lock (`/admin/lock`): at most one per key `route:id`. */
export interface RouteLock {
  readonly route: string;
  readonly resourceId: string;
  readonly userId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface RouteLockStore {
  /** Atomic: exactly one concurrent caller can create; the holder re-acquiring touches updatedAt. */
  acquire(route: string, resourceId: string, userId: string, now: string): Promise<'acquired' | 'reacquired' | 'conflict'>;
  /** Atomic conditional delete; tells a foreign lock (forbidden) from a missing one. */
  release(route: string, resourceId: string, userId: string): Promise<'released' | 'forbidden' | 'not_found'>;
  get(route: string, resourceId: string): Promise<RouteLock | undefined>;
  /** get synchronously, from memory (optional, read-only record; see ResourceStore.getSync). */
  getSync?(route: string, resourceId: string): RouteLock | undefined;
  /** Every lock, ordered by route then id (loading a replica). */
  list(): Promise<RouteLock[]>;
  /** The locks the user holds. */
  listForUser(userId: string): Promise<RouteLock[]>;
  /** Puts a lock back exactly as it was (import); false when that route + id is already locked. */
  reinstate(lock: RouteLock): Promise<boolean>;
  deleteForUser(userId: string): Promise<void>;
  deleteForResource(route: string, resourceId: string): Promise<void>;
}
