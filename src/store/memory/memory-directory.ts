/** In-memory directory: maps keyed by id, with (name, domain) uniqueness like the Mongo indexes. */
import { plainCopy } from '../plain-copy.js';
import type {
  DirectoryStore,
  Domain,
  DomainFilter,
  EntityStore,
  Group,
  MembershipStore,
  Project,
  ProjectFilter,
  TagFilter,
  User,
  UserFilter,
} from '../directory-store.js';
import { appended } from '../../compact-array.js';
import { StringPool } from '../../string-pool.js';
import { DuplicateError } from '../store-errors.js';
import { deepFreeze } from './deep-freeze.js';

type Named = { id: string; name: string; domainId?: string };

/** Generic entity map; `uniqueKey` gives the unique (name, scope) key, `matches` applies a filter. */
export class MemoryEntityStore<T extends Named, F> implements EntityStore<T, F> {
  private readonly byId = new Map<string, T>();
  /** unique key → id: keeps create/update O(1) instead of a scan of every entity. */
  private readonly byUniqueKey = new Map<string, string>();
  /**
   * name → ids: a list filtered by name (subject resolution, on the decision path) reads only
   * those. Arrays (most names have one id: ~55 bytes, where a set is ~150).
   */
  private readonly byName = new Map<string, string[]>();
  private readonly domainIds = new StringPool();

  constructor(
    private readonly what: string,
    private readonly uniqueKey: (e: T) => string,
    private readonly matches: (e: T, f: F) => boolean,
  ) {}

  async create(entity: T): Promise<T> {
    if (this.byId.has(entity.id)) throw new DuplicateError(`${this.what} id`);
    this.assertUnique(entity);
    this.hold(entity);
    return plainCopy(entity);
  }

  async get(id: string): Promise<T | undefined> {
    const e = this.byId.get(id);
    return e && plainCopy(e);
  }

  /** The stored record itself, read-only (see EntityStore.getSync): no copy on the decision path. */
  getSync(id: string): T | undefined {
    return this.byId.get(id);
  }

  async list(filter?: F): Promise<T[]> {
    const name = (filter as { name?: string } | undefined)?.name;
    const candidates =
      name === undefined ? [...this.byId.values()] : [...(this.byName.get(name) ?? [])].map((id) => this.byId.get(id)!);
    return candidates
      .filter((e) => !filter || this.matches(e, filter))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((e) => plainCopy(e));
  }

  async update(entity: T): Promise<T | undefined> {
    const previous = this.byId.get(entity.id);
    if (!previous) return undefined;
    this.assertUnique(entity);
    this.byUniqueKey.delete(this.uniqueKey(previous));
    this.unindex(previous);
    this.hold(entity);
    return plainCopy(entity);
  }

  async delete(id: string): Promise<boolean> {
    const had = this.byId.has(id);
    this.forget(id);
    return had;
  }

  /**
   * Sets the entity as given, without the uniqueness check (a mirror applying another store's
   * after-image: that store enforced uniqueness, and a rename may arrive before the rename that
   * freed the name).
   */
  restore(entity: T): void {
    this.forget(entity.id);
    this.hold(entity);
  }

  /**
   * Keeps a frozen copy (records are replaced, never edited: getSync hands them out) and indexes
   * it by the copy's own strings, so one copy of each id and name is held; domain ids, which many
   * records repeat, are shared (20k users at M: ~1.5 MB).
   */
  private hold(entity: T): void {
    const copy = plainCopy(entity);
    if (typeof copy.domainId === 'string') copy.domainId = this.domainIds.share(copy.domainId);
    const kept = deepFreeze(copy);
    this.byId.set(kept.id, kept);
    this.byUniqueKey.set(this.uniqueKey(kept), kept.id);
    this.index(kept);
  }

  forget(id: string): void {
    const previous = this.byId.get(id);
    if (previous) {
      if (this.byUniqueKey.get(this.uniqueKey(previous)) === id) this.byUniqueKey.delete(this.uniqueKey(previous));
      this.unindex(previous);
    }
    this.byId.delete(id);
  }

  private index(entity: T): void {
    const ids = this.byName.get(entity.name);
    if (!ids?.includes(entity.id)) this.byName.set(entity.name, appended(ids, entity.id));
  }

  private unindex(entity: T): void {
    const ids = this.byName.get(entity.name)?.filter((id) => id !== entity.id);
    if (ids?.length) this.byName.set(entity.name, ids);
    else this.byName.delete(entity.name);
  }

  private assertUnique(entity: T): void {
    const holder = this.byUniqueKey.get(this.uniqueKey(entity));
    if (holder !== undefined && holder !== entity.id) throw new DuplicateError(`${this.what} name`);
  }
}

/**
 * Memberships both ways (no pair objects or pair keys): users by group in sets (a group may have
 * many members), groups by user in arrays (a user is in a few groups: an exact-size array of
 * three is ~70 bytes, a set ~150; 20k users at M). Ids arrive as separate strings, one per
 * membership; `ids` holds one copy of each user and group id, which both directions (and the
 * role graph, loaded from `all()`) share: ~2 MB fewer strings for 58k memberships.
 */
class MemoryMemberships implements MembershipStore {
  private readonly usersByGroup = new Map<string, Set<string>>();
  private readonly groupsByUser = new Map<string, string[]>();
  private readonly ids = new StringPool();

  async add(groupIdGiven: string, userIdGiven: string) {
    const groupId = this.ids.share(groupIdGiven);
    const userId = this.ids.share(userIdGiven);
    link(this.usersByGroup, groupId, userId);
    const groups = this.groupsByUser.get(userId);
    if (!groups?.includes(groupId)) this.groupsByUser.set(userId, appended(groups, groupId));
  }
  /** Lets an id's copy go once neither direction holds it. */
  private release(id: string): void {
    if (!this.groupsByUser.has(id) && !this.usersByGroup.has(id)) this.ids.forget(id);
  }
  async remove(groupId: string, userId: string) {
    this.dropGroupOf(userId, groupId);
    const had = unlink(this.usersByGroup, groupId, userId);
    this.release(groupId);
    this.release(userId);
    return had;
  }
  private dropGroupOf(userId: string, groupId: string): void {
    const groups = this.groupsByUser.get(userId)?.filter((g) => g !== groupId);
    if (groups?.length) this.groupsByUser.set(userId, groups);
    else this.groupsByUser.delete(userId);
  }
  async has(groupId: string, userId: string) {
    return this.usersByGroup.get(groupId)?.has(userId) ?? false;
  }
  async groupsOf(userId: string) {
    return [...(this.groupsByUser.get(userId) ?? [])].sort();
  }
  async usersOf(groupId: string) {
    return [...(this.usersByGroup.get(groupId) ?? [])].sort();
  }
  async all() {
    const out: { groupId: string; userId: string }[] = [];
    for (const [groupId, users] of this.usersByGroup) for (const userId of users) out.push({ groupId, userId });
    return out;
  }
  async removeUser(userId: string) {
    const groups = this.groupsByUser.get(userId) ?? [];
    for (const groupId of groups) unlink(this.usersByGroup, groupId, userId);
    this.groupsByUser.delete(userId);
    for (const id of [userId, ...groups]) this.release(id);
  }
  async removeGroup(groupId: string) {
    const users = [...(this.usersByGroup.get(groupId) ?? [])];
    for (const userId of users) this.dropGroupOf(userId, groupId);
    this.usersByGroup.delete(groupId);
    for (const id of [groupId, ...users]) this.release(id);
  }
}

function link(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

/** Removes the pair; true when it was there. */
function unlink(map: Map<string, Set<string>>, key: string, value: string): boolean {
  const set = map.get(key);
  if (!set?.delete(value)) return false;
  if (!set.size) map.delete(key);
  return true;
}

const eq = (filterValue: unknown, value: unknown) => filterValue === undefined || filterValue === value;

/** Keystone's tag filters over a project's tags (a missing list is empty). */
export function matchesTags(tags: readonly string[] = [], f: TagFilter | undefined): boolean {
  if (!f) return true;
  const has = (t: string) => tags.includes(t);
  if (f.all && !f.all.every(has)) return false;
  if (f.any && !f.any.some(has)) return false;
  if (f.notAll && f.notAll.length > 0 && f.notAll.every(has)) return false;
  if (f.notAny && f.notAny.some(has)) return false;
  return true;
}

export function createMemoryDirectory(): DirectoryStore {
  return {
    domains: new MemoryEntityStore<Domain, DomainFilter>(
      'domain',
      (d) => d.name,
      (d, f) => eq(f.name, d.name) && eq(f.enabled, d.enabled),
    ),
    projects: new MemoryEntityStore<Project, ProjectFilter>(
      'project',
      (p) => `${p.domainId}\u0000${p.name}`,
      (p, f) =>
        eq(f.name, p.name) &&
        eq(f.domainId, p.domainId) &&
        eq(f.parentId, p.parentId) &&
        eq(f.enabled, p.enabled) &&
        matchesTags(p.tags, f.tags),
    ),
    users: new MemoryEntityStore<User, UserFilter>(
      'user',
      (u) => `${u.domainId}\u0000${u.name}`,
      (u, f) => eq(f.name, u.name) && eq(f.domainId, u.domainId) && eq(f.enabled, u.enabled),
    ),
    groups: new MemoryEntityStore<Group, { name?: string; domainId?: string }>(
      'group',
      (g) => `${g.domainId}\u0000${g.name}`,
      (g, f) => eq(f.name, g.name) && eq(f.domainId, g.domainId),
    ),
    memberships: new MemoryMemberships(),
  };
}
