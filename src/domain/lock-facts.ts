/**
 * Gathers the locks that stand on a resource, from all three lock families, as engine LockFacts.
 * Which actions each kind blocks, and for whom, is decided by p3 rows in policies/, not here.
 *   manila:<resource_action>  Manila resource lock on (resource_type, resource_id)
 *   cdn:soft | cdn:hard       Traffic Ops lock on the CDN (a `cdn` resource, or one whose
 *                             attributes.cdn names the CDN)
 *   route                     /admin/lock on (route = resource type, id)
 */
import type { LockFact } from '../engine/engine.js';
import type { Stores } from '../store/stores.js';

export interface LockedResource {
  readonly type: string;
  readonly id: string;
  readonly attributes?: Readonly<Record<string, unknown>>;
}

const NO_LOCKS: readonly LockFact[] = Object.freeze([]);

/** The locks on the resource; the one shared empty list when there are none (most resources). */
export async function locksOn(stores: Stores, r: LockedResource): Promise<readonly LockFact[]> {
  const cdn = r.type === 'cdn' ? r.id : typeof r.attributes?.cdn === 'string' ? r.attributes.cdn : undefined;
  const [manila, route, cdnLock] = await Promise.all([
    stores.manilaLocks.forResource(r.id),
    stores.routeLocks.get(r.type, r.id),
    cdn ? stores.cdnLocks.get(cdn) : Promise.resolve(undefined),
  ]);
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
