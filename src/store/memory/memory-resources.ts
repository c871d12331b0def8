/**
 * In-memory resource registry, indexed by type so lists of one type do not scan the others, and
 * by project, owner, group and (for records without a project) domain, so a list filtered on one
 * of those reads only the records that have it (AuthZEN resource search lists by them). Index
 * buckets hold the stored records, sorted by (type, id) when first read after a change; ids of a
 * type are kept sorted the same way for unfiltered lists.
 *
 * Records are frozen copies made on write, so reads (one per decision) hand them out uncopied.
 * Each copy is built as an object literal with the record's fields (not `{...r}`): V8 stores a
 * spread-then-frozen copy about three times larger (~500 vs ~170 bytes a record, which is
 * ~75 MB at 200k resources), and records without attributes share one frozen empty object.
 */
import type { Page, PageRequest } from '../page.js';
import type { RegisteredResource, ResourceFilter, ResourceStore } from '../resource-store.js';
import { appended } from '../../compact-array.js';
import { StringPool } from '../../string-pool.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { deepFreeze } from './deep-freeze.js';

export class MemoryResourceStore implements ResourceStore {
  private readonly byType = new Map<string, Map<string, RegisteredResource>>();
  /** Each type's ids in order, rebuilt on the first list after an id was added or removed. */
  private readonly sortedIds = new Map<string, string[]>();
  private readonly byProject = new FieldIndex((r) => r.projectId);
  private readonly byOwner = new FieldIndex((r) => r.owner);
  private readonly byGroup = new FieldIndex((r) => r.group);
  /** Records scoped to a domain (no project), by domain. */
  private readonly byDomainOnly = new FieldIndex((r) => (r.projectId === null ? r.domainId : null));
  private readonly indexes = [this.byProject, this.byOwner, this.byGroup, this.byDomainOnly];

  async put(resource: RegisteredResource) {
    const ofType = this.byType.get(resource.type);
    const existing = ofType?.get(resource.id);
    const copy = recordCopy(existing ? { ...resource, createdAt: existing.createdAt } : resource, this.names);
    return { resource: this.set(ofType ?? this.ofType(copy.type), copy, existing), created: !existing };
  }

  /** Sets the record as given (a mirror applying another store's after-image). */
  restore(resource: RegisteredResource): RegisteredResource {
    const copy = recordCopy(resource, this.names);
    const ofType = this.ofType(copy.type);
    return this.set(ofType, copy, ofType.get(copy.id));
  }

  /** The type's records (an empty map for a type not held yet). */
  private ofType(type: string): Map<string, RegisteredResource> {
    let ofType = this.byType.get(type);
    if (!ofType) this.byType.set(type, (ofType = new Map()));
    return ofType;
  }

  /** One copy of each type name and domain id (a few hundred: kept for good). */
  private readonly names = new StringPool();

  forget(type: string, id: string): void {
    const old = this.byType.get(type)?.get(id);
    if (!old) return;
    this.byType.get(type)!.delete(id);
    this.sortedIds.delete(type);
    for (const index of this.indexes) index.remove(old);
  }

  /**
   * Indexes a fresh copy and freezes it. The copy takes its project, owner and group ids from the
   * index buckets it joins (the strings the bucket's records already share), so records share one
   * copy of each id: ids decoded from a database, or built by a generator, arrive as separate
   * strings (~6 MB at 200k resources, ~10 MB more in a replica's mirror). Each index looks its
   * bucket up once per write.
   */
  private set(ofType: Map<string, RegisteredResource>, copy: Mutable<RegisteredResource>, old: RegisteredResource | undefined): RegisteredResource {
    if (old) {
      copy.projectId = this.byProject.replace(old, copy);
      copy.owner = this.byOwner.replace(old, copy);
      copy.group = this.byGroup.replace(old, copy);
      this.byDomainOnly.replace(old, copy);
    } else {
      if (this.sortedIds.size) this.sortedIds.delete(copy.type); // none before the first list (a bulk load adds 200k at M)
      copy.projectId = this.byProject.add(copy);
      copy.owner = this.byOwner.add(copy);
      copy.group = this.byGroup.add(copy);
      this.byDomainOnly.add(copy);
    }
    const stored = Object.freeze(copy);
    ofType.set(stored.id, stored);
    return stored;
  }

  async *scan(batchSize: number): AsyncIterable<RegisteredResource[]> {
    let batch: RegisteredResource[] = [];
    for (const ofType of this.byType.values()) {
      for (const r of ofType.values()) {
        batch.push(r);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
    }
    if (batch.length) yield batch;
  }

  async get(type: string, id: string) {
    return this.getSync(type, id);
  }
  getSync(type: string, id: string): RegisteredResource | undefined {
    return this.byType.get(type)?.get(id);
  }

  async delete(type: string, id: string) {
    const had = this.byType.get(type)?.has(id) ?? false;
    this.forget(type, id);
    return had;
  }

  async list(filter: ResourceFilter, page: PageRequest): Promise<Page<RegisteredResource>> {
    const after = page.after ? decodeCursor(page.after) : undefined;
    const bucket = filter.type !== undefined ? this.smallestBucket(filter) : undefined;
    const items: RegisteredResource[] = [];
    const next = (): Page<RegisteredResource> => {
      const last = items[items.length - 1]!;
      return { items, next: encodeCursor([last.type, last.id]) };
    };
    if (bucket) {
      // Sorted by (type, id): start past the cursor, or at the type's first record; stop past the type.
      const type = filter.type!;
      if (after && after[0] > type) return { items };
      const sameType = after !== undefined && after[0] === type;
      for (let i = firstFrom(bucket, type, sameType ? after[1] : undefined); i < bucket.length; i++) {
        const r = bucket[i]!;
        if (r.type !== type) break;
        if (!matches(r, filter)) continue;
        if (items.length === page.limit) return next();
        items.push(r);
      }
      return { items };
    }
    const types = filter.type !== undefined ? [filter.type] : [...this.byType.keys()].sort();
    for (const type of types) {
      if (after && type < after[0]) continue;
      const ofType = this.byType.get(type);
      if (!ofType) continue;
      const ids = this.idsOf(type, ofType);
      const start = after && type === after[0] ? upperBound(ids, after[1]) : 0;
      for (let i = start; i < ids.length; i++) {
        const r = ofType.get(ids[i]!)!;
        if (!matches(r, filter)) continue;
        if (items.length === page.limit) return next();
        items.push(r);
      }
    }
    return { items };
  }

  /** The fewest records that can match the filter, from one of the field indexes (sorted). */
  private smallestBucket(filter: ResourceFilter): readonly RegisteredResource[] | undefined {
    const options: [FieldIndex, string][] = [];
    if (typeof filter.projectId === 'string') options.push([this.byProject, filter.projectId]);
    if (filter.owner !== undefined) options.push([this.byOwner, filter.owner]);
    if (filter.group !== undefined) options.push([this.byGroup, filter.group]);
    if (filter.projectId === null && filter.domainId !== undefined) options.push([this.byDomainOnly, filter.domainId]);
    if (!options.length) return undefined;
    const [index, value] = options.reduce((a, b) => (b[0].size(b[1]) < a[0].size(a[1]) ? b : a));
    return index.sorted(value);
  }

  private idsOf(type: string, ofType: ReadonlyMap<string, RegisteredResource>): readonly string[] {
    let ids = this.sortedIds.get(type);
    if (!ids) this.sortedIds.set(type, (ids = [...ofType.keys()].sort()));
    return ids;
  }

  async setOwnership(type: string, id: string, change: { owner?: string; group?: string }) {
    const ofType = this.byType.get(type);
    const r = ofType?.get(id);
    if (!r) return undefined;
    return this.set(
      ofType!,
      recordCopy(
        {
          ...r,
          owner: change.owner ?? r.owner,
          group: change.group ?? r.group,
          updatedAt: new Date().toISOString(),
        },
        this.names,
      ),
      r,
    );
  }

  async clearOwner(userId: string) {
    for (const r of [...this.byOwner.sorted(userId)]) this.set(this.byType.get(r.type)!, recordCopy({ ...r, owner: null }, this.names), r);
  }
}

/**
 * Records by the value of one field (records without one are not indexed). A bucket is a plain
 * array (its records share one copy of the value, so the first record's is the canonical
 * string); buckets sorted when last read, and not added to since, are listed in `sortedValues`: a
 * bucket no one has read costs its writes no set operation (a bulk load adds ~460k entries at M).
 */
class FieldIndex {
  private readonly buckets = new Map<string, RegisteredResource[]>();
  private readonly sortedValues = new Set<string>();

  constructor(private readonly valueOf: (r: RegisteredResource) => string | null) {}

  size(value: string): number {
    return this.buckets.get(value)?.length ?? 0;
  }

  /** The records with this value, ordered by (type, id). */
  sorted(value: string): readonly RegisteredResource[] {
    const items = this.buckets.get(value);
    if (!items) return NONE;
    if (!this.sortedValues.has(value)) {
      items.sort(byTypeAndId);
      this.sortedValues.add(value);
    }
    return items;
  }

  /** Adds the record; returns the value as its bucket's records hold it (null when not indexed). */
  add(r: RegisteredResource): string | null {
    const value = this.valueOf(r);
    if (value === null) return null;
    const items = this.buckets.get(value);
    if (!items) {
      this.buckets.set(value, [r]);
      return value;
    }
    const kept = appended(items, r);
    if (kept !== items) this.buckets.set(value, kept);
    if (this.sortedValues.size) this.sortedValues.delete(value);
    return this.valueOf(items[0]!);
  }

  /** `r` is the stored record (the same object the bucket holds). */
  remove(r: RegisteredResource): void {
    const value = this.valueOf(r);
    const items = value === null ? undefined : this.buckets.get(value);
    if (!items) return;
    const i = items.indexOf(r);
    if (i >= 0) items.splice(i, 1); // removing keeps the order
    if (!items.length) {
      this.buckets.delete(value!);
      this.sortedValues.delete(value!);
    }
  }

  /**
   * The record was rewritten: the new copy takes the old one's place (or moves bucket). Returns
   * the value as its bucket's records hold it, as `add` does.
   */
  replace(old: RegisteredResource, r: RegisteredResource): string | null {
    const value = this.valueOf(r);
    const was = this.valueOf(old);
    if (value !== was) {
      this.remove(old);
      return this.add(r);
    }
    const items = value === null ? undefined : this.buckets.get(value);
    const i = items ? items.indexOf(old) : -1;
    if (i >= 0) items![i] = r;
    return was;
  }

  /** Forgets every record (profile-memory measures what the indexes hold). */
  clear(): void {
    this.buckets.clear();
    this.sortedValues.clear();
  }
}

const NONE: readonly RegisteredResource[] = Object.freeze([]);

const byTypeAndId = (a: RegisteredResource, b: RegisteredResource) =>
  a.type < b.type ? -1 : a.type > b.type ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** Index of the first record of the type in a (type, id)-sorted list, after `afterId` when given. */
function firstFrom(items: readonly RegisteredResource[], type: string, afterId: string | undefined): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const r = items[mid]!;
    const before = r.type < type || (r.type === type && afterId !== undefined && r.id <= afterId);
    if (before) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first id greater than `id` in a sorted list. */
function upperBound(ids: readonly string[], id: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid]! <= id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function matches(r: RegisteredResource, f: ResourceFilter): boolean {
  return (
    (f.projectId === undefined || r.projectId === f.projectId) &&
    (f.domainId === undefined || r.domainId === f.domainId) &&
    (f.owner === undefined || r.owner === f.owner) &&
    (f.group === undefined || r.group === f.group)
  );
}

const NO_ATTRIBUTES: RegisteredResource['attributes'] = Object.freeze({});

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A copy of the record's fields as an object literal (not `{...r}`: V8 stores a spread-then-frozen
 * copy about three times larger), with one copy of each type name and domain id (`names`). The
 * store indexes it and then freezes it (see `set`).
 */
function recordCopy(r: RegisteredResource, names: StringPool): Mutable<RegisteredResource> {
  return {
    type: names.share(r.type),
    id: r.id,
    projectId: r.projectId,
    domainId: r.domainId === null ? null : names.share(r.domainId),
    owner: r.owner,
    group: r.group,
    status: r.status,
    // Attributes are JSON data (the MongoDB store keeps them as JSON text): a JSON copy is a third
    // the size of a structuredClone one (~30 vs ~85 bytes for `{ cdn: 'cdn-1' }`).
    attributes: hasKeys(r.attributes) ? deepFreeze(JSON.parse(JSON.stringify(r.attributes)) as RegisteredResource['attributes']) : NO_ATTRIBUTES,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}
