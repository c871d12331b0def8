/**
 * The locks of all three families in one list (GET /v1/locks), each family's own visibility rules
 * applied (Manila: what a list with all_projects shows the caller; Traffic Ops: every lock, for
 * CDN:READ; route locks: `route-locks:list` per lock), and for each lock whether the caller may
 * release it through its family's API (the same checks that API makes). Lock ids and kinds are
 * those decisions cite in `context.locks`.
 */
import type { Principal } from '../auth/principal.js';
import type { CdnLock, ManilaLock, RouteLock } from '../store/lock-stores.js';
import type { Stores } from '../store/stores.js';
import type { RouteLockService } from './adminlocks/route-lock-service.js';
import type { ManilaLockService } from './manila/lock-service.js';
import type { CdnLockService } from './trafficops/cdn-lock-service.js';

export type LockFamily = 'manila' | 'cdn' | 'route';

export interface LockView {
  readonly id: string;
  readonly family: LockFamily;
  /** `manila:<resource_action>`, `cdn:soft` | `cdn:hard`, `route` (what p3 rows name). */
  readonly kind: string;
  readonly resource: { readonly type: string; readonly id: string };
  readonly holder: { readonly id: string; readonly name: string | null };
  readonly reason: string | null;
  readonly created_at: string;
  readonly updated_at: string | null;
  readonly releasable: boolean;
  /** The family's own fields. */
  readonly details: Readonly<Record<string, unknown>>;
}

export interface LockFilter {
  readonly family?: LockFamily;
  readonly resourceType?: string;
  readonly resourceId?: string;
  readonly holder?: string;
}

export interface LockOverviewDeps {
  readonly stores: Stores;
  readonly manila: ManilaLockService;
  readonly cdn: CdnLockService;
  readonly route: RouteLockService;
}

export class LockOverviewService {
  constructor(private readonly deps: LockOverviewDeps) {}

  async list(caller: Principal, filter: LockFilter = {}): Promise<LockView[]> {
    const wanted = (family: LockFamily) => filter.family === undefined || filter.family === family;
    const [manila, cdn, route] = await Promise.all([
      wanted('manila') ? this.manila(caller) : [],
      wanted('cdn') ? this.cdn(caller) : [],
      wanted('route') ? this.route(caller) : [],
    ]);
    const names = await this.userNames([...manila, ...route].map((l) => l.holder.id));
    return [...manila, ...cdn, ...route]
      .map((l) => (l.holder.name === null ? { ...l, holder: { id: l.holder.id, name: names.get(l.holder.id) ?? null } } : l))
      .filter(
        (l) =>
          (filter.resourceType === undefined || l.resource.type === filter.resourceType) &&
          (filter.resourceId === undefined || l.resource.id === filter.resourceId) &&
          (filter.holder === undefined || l.holder.id === filter.holder),
      );
  }

  private async manila(principal: Principal): Promise<LockView[]> {
    const caller = this.deps.manila.caller(principal);
    return (await this.deps.manila.visible(caller)).map((l: ManilaLock) => ({
      id: l.id,
      family: 'manila',
      kind: `manila:${l.resourceAction}`,
      resource: { type: l.resourceType, id: l.resourceId },
      holder: { id: l.userId, name: null },
      reason: l.lockReason,
      created_at: l.createdAt,
      updated_at: l.updatedAt,
      releasable: this.deps.manila.mayDelete(caller, l),
      details: { project_id: l.projectId, lock_context: l.lockContext, resource_action: l.resourceAction },
    }));
  }

  private async cdn(caller: Principal): Promise<LockView[]> {
    return (await this.deps.cdn.visible(caller)).map((l: CdnLock) => ({
      id: `cdn_lock:${l.cdn}`,
      family: 'cdn',
      kind: l.soft ? 'cdn:soft' : 'cdn:hard',
      resource: { type: 'cdn', id: l.cdn },
      holder: { id: l.userId, name: l.userName },
      reason: l.message,
      created_at: l.lastUpdated,
      updated_at: null,
      releasable: this.deps.cdn.mayRemove(caller, l),
      details: { soft: l.soft, shared_user_names: l.sharedUserNames },
    }));
  }

  private async route(caller: Principal): Promise<LockView[]> {
    const locks = await this.deps.route.visible(caller);
    return Promise.all(
      locks.map(async (l: RouteLock) => ({
        id: `route:${l.route}:${l.resourceId}`,
        family: 'route' as const,
        kind: 'route',
        resource: { type: l.route, id: l.resourceId },
        holder: { id: l.userId, name: null },
        reason: null,
        created_at: l.createdAt,
        updated_at: l.updatedAt,
        releasable: await this.deps.route.mayRelease(caller, l),
        details: {},
      })),
    );
  }

  private async userNames(ids: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    const users = await Promise.all(unique.map((id) => this.deps.stores.directory.users.get(id)));
    return new Map(users.flatMap((u) => (u ? [[u.id, u.name] as const] : [])));
  }
}
