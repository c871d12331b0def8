/**
 * Traffic Ops permission checks (docs/compatibility.md §3.3, §3.5): every permission an endpoint needs is asked of
 * Casbin (p2 rows in policies/trafficops.csv); the ones refused are listed in the upstream 403
 * `missing required Permissions: A, B`. Shared-user eligibility (§7 T-5) is the same question asked
 * for another user, in the system scope.
 */
import type { Principal } from '../../auth/principal.js';
import { SYSTEM_SCOPE } from '../../engine/scope.js';
import { forbidden } from '../../errors.js';
import type { Authorizer } from '../authorizer.js';

export const CDN_READ = 'CDN:READ';
export const CDN_LOCK_CREATE = 'CDN-LOCK:CREATE';
export const CDN_LOCK_DELETE = 'CDN-LOCK:DELETE';
export const CDN_LOCK_DELETE_OTHERS = 'CDN-LOCK:DELETE-OTHERS';

export class TrafficOpsPermissions {
  constructor(private readonly authorizer: Authorizer) {}

  /** Throws 403 `missing required Permissions: ...` naming every permission Casbin refuses. */
  requireAll(caller: Principal, permissions: readonly string[]): void {
    const missing = permissions.filter((p) => !this.authorizer.check(caller, p).allowed);
    if (missing.length) throw forbidden(`missing required Permissions: ${missing.join(', ')}`);
  }

  has(caller: Principal, permission: string): boolean {
    return this.authorizer.check(caller, permission).allowed;
  }

  /** May this user be named in `sharedUserNames`? They must be able to create a lock themselves. */
  canShareWith(userId: string): boolean {
    const asUser: Principal = { userId, scope: { type: 'system' }, scopeKey: SYSTEM_SCOPE, via: 'jwt' };
    return this.authorizer.check(asUser, CDN_LOCK_CREATE).allowed;
  }
}
