/** In-memory lock stores. Node runs one callback at a time, so each method is atomic here. */
import { plainCopy } from '../plain-copy.js';
import { MANILA_SORT_FIELDS, manilaExactFilters } from '../lock-stores.js';
import type {
  CdnLock,
  CdnLockStore,
  ManilaLock,
  ManilaLockQuery,
  ManilaLockStore,
  RouteLock,
  RouteLockStore,
} from '../lock-stores.js';
import { DuplicateError } from '../store-errors.js';

/** The sync reads hand out stored records (read-only): each write replaces a record, never edits it. */
const NONE: readonly ManilaLock[] = Object.freeze([]);

export class MemoryManilaLockStore implements ManilaLockStore {
  private readonly locks = new Map<string, ManilaLock>();
  /** resourceId → lock ids, so a decision's lock lookup does not scan every lock. */
  private readonly byResource = new Map<string, Set<string>>();

  private unindex(l: ManilaLock | undefined) {
    if (!l) return;
    const ids = this.byResource.get(l.resourceId);
    ids?.delete(l.id);
    if (ids?.size === 0) this.byResource.delete(l.resourceId);
  }

  async create(lock: ManilaLock) {
    this.restore(lock);
    return { ...lock };
  }
  /** Sets the lock as given (a mirror applying another store's after-image). */
  restore(lock: ManilaLock): void {
    this.unindex(this.locks.get(lock.id));
    this.locks.set(lock.id, { ...lock });
    let ids = this.byResource.get(lock.resourceId);
    if (!ids) this.byResource.set(lock.resourceId, (ids = new Set()));
    ids.add(lock.id);
  }
  forget(id: string): void {
    this.unindex(this.locks.get(id));
    this.locks.delete(id);
  }
  async get(id: string) {
    const l = this.locks.get(id);
    return l && { ...l };
  }
  async list(q: ManilaLockQuery) {
    const exact = manilaExactFilters(q);
    const needle = q.lockReasonContains?.toLowerCase();
    const matched = [...this.locks.values()].filter(
      (l) =>
        exact.every(([field, value]) => l[field] === value) &&
        (needle === undefined || (l.lockReason ?? '').toLowerCase().includes(needle)) &&
        (q.createdSince === undefined || l.createdAt >= q.createdSince) &&
        (q.createdBefore === undefined || l.createdAt <= q.createdBefore),
    );
    const field = MANILA_SORT_FIELDS[q.sortKey];
    const dir = q.sortDir === 'desc' ? -1 : 1;
    matched.sort((a, b) => {
      const av = a[field] ?? '';
      const bv = b[field] ?? '';
      if (av !== bv) return av < bv ? -dir : dir;
      return a.id < b.id ? -dir : dir;
    });
    const offset = q.offset ?? 0;
    const items = matched.slice(offset, q.limit === undefined ? undefined : offset + q.limit);
    return { items: items.map((l) => ({ ...l })), total: matched.length };
  }
  async update(id: string, change: { resourceAction?: string; lockReason?: string | null; updatedAt: string }) {
    const l = this.locks.get(id);
    if (!l) return undefined;
    const updated: ManilaLock = {
      ...l,
      resourceAction: change.resourceAction ?? l.resourceAction,
      lockReason: change.lockReason !== undefined ? change.lockReason : l.lockReason,
      updatedAt: change.updatedAt,
    };
    this.locks.set(id, updated);
    return { ...updated };
  }
  async delete(id: string) {
    const had = this.locks.has(id);
    this.forget(id);
    return had;
  }
  async forResource(resourceId: string) {
    return this.forResourceSync(resourceId).map((l) => ({ ...l }));
  }
  forResourceSync(resourceId: string): readonly ManilaLock[] {
    const ids = this.byResource.get(resourceId);
    return ids ? [...ids].map((id) => this.locks.get(id)!) : NONE;
  }
  async deleteForResource(resourceType: string, resourceId: string) {
    const ids = [...(this.byResource.get(resourceId) ?? [])].filter((id) => this.locks.get(id)?.resourceType === resourceType);
    for (const id of ids) await this.delete(id);
    return ids.length;
  }
}

export class MemoryCdnLockStore implements CdnLockStore {
  private readonly locks = new Map<string, CdnLock>();

  async create(lock: CdnLock) {
    if (this.locks.has(lock.cdn)) throw new DuplicateError('cdn lock');
    this.restore(lock);
    return plainCopy(lock);
  }
  /** Sets the lock as given (a mirror applying another store's after-image). */
  restore(lock: CdnLock): void {
    this.locks.set(lock.cdn, plainCopy(lock));
  }
  forget(cdn: string): void {
    this.locks.delete(cdn);
  }
  async get(cdn: string) {
    const l = this.locks.get(cdn);
    return l && plainCopy(l);
  }
  getSync(cdn: string): CdnLock | undefined {
    return this.locks.get(cdn);
  }
  async list(filter: { cdn?: string; userName?: string } = {}) {
    return [...this.locks.values()]
      .filter((l) => filter.cdn === undefined || l.cdn === filter.cdn)
      .filter((l) => filter.userName === undefined || l.userName === filter.userName)
      .sort((a, b) => (a.cdn < b.cdn ? -1 : 1))
      .map((l) => plainCopy(l));
  }
  async deleteIf(cdn: string, ownerId?: string) {
    const l = this.locks.get(cdn);
    if (!l || (ownerId !== undefined && l.userId !== ownerId)) return undefined;
    this.locks.delete(cdn);
    return plainCopy(l);
  }
  async deleteForUser(userId: string) {
    for (const [cdn, l] of this.locks) {
      if (l.userId === userId) this.locks.delete(cdn);
      else if (l.sharedUserIds.includes(userId)) {
        const keep = l.sharedUserIds.map((id, i) => [id, l.sharedUserNames[i]!] as const).filter(([id]) => id !== userId);
        this.locks.set(cdn, { ...l, sharedUserIds: keep.map(([id]) => id), sharedUserNames: keep.map(([, n]) => n) });
      }
    }
  }
}

export class MemoryRouteLockStore implements RouteLockStore {
  /** By `route:id`, the key MongoDB's store gives a lock (its `_id`). */
  private readonly locks = new Map<string, RouteLock>();
  /**
   * How many locks name each resource id. Every decision asks for its resource's lock and most
   * resources have none: their key, a new string to flatten and hash, is then never made.
   */
  private readonly perId = new Map<string, number>();
  private key = (route: string, id: string) => `${route}:${id}`;

  async acquire(route: string, resourceId: string, userId: string, now: string) {
    const k = this.key(route, resourceId);
    const held = this.locks.get(k);
    if (!held) {
      this.put(k, { route, resourceId, userId, createdAt: now, updatedAt: now });
      return 'acquired' as const;
    }
    if (held.userId !== userId) return 'conflict' as const;
    this.put(k, { ...held, updatedAt: now });
    return 'reacquired' as const;
  }
  async release(route: string, resourceId: string, userId: string) {
    const k = this.key(route, resourceId);
    const held = this.locks.get(k);
    if (!held) return 'not_found' as const;
    if (held.userId !== userId) return 'forbidden' as const;
    this.remove(k);
    return 'released' as const;
  }
  async get(route: string, resourceId: string) {
    const l = this.getSync(route, resourceId);
    return l && { ...l };
  }
  /** The lock on exactly this route and id (as MongoDB's store reads it, by key, route and id). */
  getSync(route: string, resourceId: string): RouteLock | undefined {
    if (!this.perId.has(resourceId)) return undefined;
    const lock = this.locks.get(this.key(route, resourceId));
    return lock?.route === route ? lock : undefined;
  }
  async list() {
    return [...this.locks.values()]
      .sort((a, b) => (a.route !== b.route ? (a.route < b.route ? -1 : 1) : a.resourceId < b.resourceId ? -1 : 1))
      .map((l) => ({ ...l }));
  }
  async listForUser(userId: string) {
    return (await this.list()).filter((l) => l.userId === userId);
  }
  /** Sets the lock as given (a mirror applying another store's after-image). */
  restore(lock: RouteLock): void {
    this.put(this.key(lock.route, lock.resourceId), { ...lock });
  }
  forget(route: string, resourceId: string): void {
    this.remove(this.key(route, resourceId));
  }
  async reinstate(lock: RouteLock) {
    if (this.locks.has(this.key(lock.route, lock.resourceId))) return false;
    this.restore(lock);
    return true;
  }
  async deleteForUser(userId: string) {
    for (const [k, l] of [...this.locks]) if (l.userId === userId) this.remove(k);
  }
  async deleteForResource(route: string, resourceId: string) {
    this.remove(this.key(route, resourceId));
  }

  private put(key: string, lock: RouteLock): void {
    if (!this.locks.has(key)) this.perId.set(lock.resourceId, (this.perId.get(lock.resourceId) ?? 0) + 1);
    this.locks.set(key, lock);
  }

  private remove(key: string): void {
    const lock = this.locks.get(key);
    if (!lock) return;
    this.locks.delete(key);
    const left = this.perId.get(lock.resourceId)! - 1;
    if (left) this.perId.set(lock.resourceId, left);
    else this.perId.delete(lock.resourceId);
  }
}

