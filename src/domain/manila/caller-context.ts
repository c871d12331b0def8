/**
 * The caller's lock context (docs/compatibility.md §2.4): `service` when a valid X-Service-Token came along and
 * Casbin says its user holds the service context, else `admin` when Casbin says the caller is an
 * admin, else `user`. Both questions are p2 rows in policies/manila.csv
 * (`resource_lock:service_context`, `resource_lock:context_admin`); nothing here decides by role.
 */
import type { Principal, TokenScope } from '../../auth/principal.js';
import type { LockContext } from '../../store/lock-stores.js';
import type { Authorizer } from '../authorizer.js';

export const SERVICE_CONTEXT = 'resource_lock:service_context';
export const ADMIN_CONTEXT = 'resource_lock:context_admin';

export interface Caller {
  readonly principal: Principal;
  readonly context: LockContext;
  /** Facts for p2 subjects: `ctx:user` | `ctx:admin` | `ctx:service`. */
  readonly facts: readonly string[];
}

export function resolveCaller(authorizer: Authorizer, principal: Principal): Caller {
  const context = lockContextOf(authorizer, principal);
  return { principal, context, facts: [`ctx:${context}`] };
}

function lockContextOf(authorizer: Authorizer, principal: Principal): LockContext {
  if (principal.service) {
    const servicePrincipal: Principal = {
      userId: principal.service.userId,
      scope: scopeOf(principal.service.scopeKey),
      scopeKey: principal.service.scopeKey,
      via: principal.via,
      requestId: principal.requestId,
    };
    if (authorizer.check(servicePrincipal, SERVICE_CONTEXT).allowed) return 'service';
  }
  return authorizer.check(principal, ADMIN_CONTEXT).allowed ? 'admin' : 'user';
}

function scopeOf(scopeKey: string): TokenScope {
  const [type, ...rest] = scopeKey.split(':');
  if (type === 'project' || type === 'domain') return { type, id: rest.join(':') };
  return { type: 'system' };
}
