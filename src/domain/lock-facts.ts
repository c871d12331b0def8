/**
 * Gathers the locks that stand on a resource, from all three lock families, as engine LockFacts.
 * Which actions each kind blocks, and for whom, is decided by p3 rows in policies/, not here.
 *   manila:<resource_action>  Manila resource lock on (resource_type, resource_id)
 *   cdn:soft | cdn:hard       Traffic Ops lock on the CDN (a `cdn` resource, or one whose
 *                             attributes.cdn names the CDN)
 *   route                     /admin/lock on (route = resource type, id)
 */
import type { LockFact } from '../engine/engine.js';
import type { CdnLock, ManilaLock, RouteLock } from '../store/lock-stores.js';
import type { Stores } from '../store/stores.js';

export interface LockedResource {
  readonly type: string;
  readonly id: string;
  /** The registry's attributes (over the request's properties): `cdn` names a resource's CDN. */
  readonly properties?: Readonly<Record<string, unknown>>;
}

const NO_LOCKS: readonly LockFact[] = Object.freeze([]);

/** The CDN whose Traffic Ops lock stands on the resource, if any. */
function cdnOf(r: LockedResource): string | undefined {
  return r.type === 'cdn' ? r.id : typeof r.properties?.cdn === 'string' ? r.properties.cdn : undefined;
}

/** The locks on the resource; the one shared empty list when there are none (most resources). */
export async function locksOn(stores: Stores, r: LockedResource): Promise<readonly LockFact[]> {
  const cdn = cdnOf(r);
  const [manila, route, cdnLock] = await Promise.all([
    stores.manilaLocks.forResource(r.id),
    stores.routeLocks.get(r.type, r.id),
    cdn ? stores.cdnLocks.get(cdn) : Promise.resolve(undefined),
  ]);
  return lockFacts(r, manila, route, cdnLock);
}

/** The three lock families' synchronous reads (see ResourceStore.getSync). */
export interface SyncLockReads {
  readonly manila: (resourceId: string) => readonly ManilaLock[];
  readonly route: (route: string, resourceId: string) => RouteLock | undefined;
  readonly cdn: (cdn: string) => CdnLock | undefined;
}

/**
 * The sync reads when all three lock stores hold their locks in memory (the memory store, or a
 * replica's mirrors); undefined when one of them has none (then use locksOn). Looked up once and
 * kept by the decision path: each read of a method through a store wrapper is a proxy trap.
 */
export function syncLockReads(stores: Stores): SyncLockReads | undefined {
  const { manilaLocks, routeLocks, cdnLocks } = stores;
  const { forResourceSync } = manilaLocks;
  const routeSync = routeLocks.getSync;
  const cdnSync = cdnLocks.getSync;
  if (!forResourceSync || !routeSync || !cdnSync) return undefined;
  return { manila: forResourceSync.bind(manilaLocks), route: routeSync.bind(routeLocks), cdn: cdnSync.bind(cdnLocks) };
}

/** The same as locksOn, without an async turn. */
export function locksOnSync(reads: SyncLockReads, r: LockedResource): readonly LockFact[] {
  const cdn = cdnOf(r);
  return lockFacts(r, reads.manila(r.id), reads.route(r.type, r.id), cdn ? reads.cdn(cdn) : undefined);
}

function lockFacts(r: LockedResource, manila: readonly ManilaLock[], route: RouteLock | undefined, cdnLock: CdnLock | undefined): readonly LockFact[] {
  if (!manila.length && !route && !cdnLock) return NO_LOCKS;
  const facts: LockFact[] = [];
  for (const l of manila) {
    if (l.resourceType === r.type) facts.push({ id: l.id, kind: `manila:${l.resourceAction}`, holder: l.userId });
  }
  if (route) facts.push({ id: `route:${route.route}:${route.resourceId}`, kind: 'route', holder: route.userId });
  if (cdnLock) {
    facts.push({
      id: `cdn_lock:${cdnLock.cdn}`,
      kind: cdnLock.soft ? 'cdn:soft' : 'cdn:hard',
      holder: cdnLock.userId,
      shared: cdnLock.sharedUserIds,
    });
  }
  return facts.length ? facts : NO_LOCKS;
}
