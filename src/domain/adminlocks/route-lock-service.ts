/**
 * Route + id locks (`/admin/lock`, `/admin/remove-lock`, docs/compatibility.md §4): acquire, idempotent
 * re-acquire, owner-only release. Check order per §4.5 / §7 S-6: the caller's user is resolved
 * (404), then `manage-locks` is asked of Casbin (403), then the input is validated (400), then the
 * store's single atomic operation decides (409 / 403 / 404). No admin override (§7 S-2).
 */
import type { Principal } from '../../auth/principal.js';
import { conflict, forbidden, notFound } from '../../errors.js';
import type { RouteLock } from '../../store/lock-stores.js';
import type { Stores } from '../../store/stores.js';
import type { Authorizer } from '../authorizer.js';
import { lockTarget } from './lock-key.js';

export const MANAGE_LOCKS = 'manage-locks';
/** Listing route locks (GET /v1/locks; the upstream API has none), asked per lock with it as target. */
export const LIST_ROUTE_LOCKS = 'route-locks:list';

/** Raw `route` and `id` as the client sent them; validated here. */
export interface RouteLockRequest {
  readonly route: unknown;
  readonly id: unknown;
}

export class RouteLockService {
  constructor(
    private readonly stores: Stores,
    private readonly authorizer: Authorizer,
  ) {}

  /** Creates the lock, or confirms it when the caller already holds it. */
  async acquire(caller: Principal, req: RouteLockRequest): Promise<'acquired' | 'reacquired'> {
    const { route, id } = await this.admit(caller, req);
    const outcome = await this.stores.routeLocks.acquire(route, id, caller.userId, new Date().toISOString());
    if (outcome === 'conflict') throw conflict('Conflict');
    return outcome;
  }

  /** Removes the caller's own lock. */
  async release(caller: Principal, req: RouteLockRequest): Promise<void> {
    const { route, id } = await this.admit(caller, req);
    const outcome = await this.stores.routeLocks.release(route, id, caller.userId);
    if (outcome === 'forbidden') throw forbidden('Forbidden');
    if (outcome === 'not_found') throw notFound('Not found');
  }

  /** The locks the caller may see: those `route-locks:list` allows with the lock as target. */
  async visible(caller: Principal): Promise<RouteLock[]> {
    const locks = await this.stores.routeLocks.list();
    return locks.filter((l) => this.authorizer.check(caller, LIST_ROUTE_LOCKS, { user_id: l.userId, route: l.route, id: l.resourceId }).allowed);
  }

  /** Whether `release` would remove this lock for the caller: a known user with manage-locks, and its holder (no override). */
  async mayRelease(caller: Principal, lock: RouteLock): Promise<boolean> {
    if (lock.userId !== caller.userId) return false;
    return Boolean(await this.stores.directory.users.get(caller.userId)) && this.authorizer.check(caller, MANAGE_LOCKS).allowed;
  }

  private async admit(caller: Principal, req: RouteLockRequest) {
    if (!(await this.stores.directory.users.get(caller.userId))) throw notFound('Not found');
    this.authorizer.require(caller, MANAGE_LOCKS, 'Forbidden');
    return lockTarget(req.route, req.id);
  }
}
