/**
 * Who is calling: authenticated once per request, whatever family and credential carrier.
 * Roles are never taken from a token (docs/compatibility.md §8.1): they come from the role graph, in `scope`.
 */
import type { ScopeKey } from '../engine/scope.js';

export interface TokenScope {
  /** `unscoped`: a Portcullis token issued without scope; it holds no roles anywhere. */
  readonly type: 'project' | 'domain' | 'system' | 'unscoped';
  /** Absent for system scope and unscoped tokens. */
  readonly id?: string;
}

export interface Principal {
  readonly userId: string;
  /** The token's scope; a token without scope claims is system-scoped (it sees system roles only). */
  readonly scope: TokenScope;
  readonly scopeKey: ScopeKey;
  /** The valid `X-Service-Token` that came with the request, if any (docs/compatibility.md §2.1, §2.4). */
  readonly service?: { readonly userId: string; readonly scopeKey: ScopeKey };
  /**
   * `token`: a token Portcullis issued (POST /v3/auth/tokens or another family's login);
   * `password`: a user name and password checked on this very request (ManageIQ's Basic auth).
   */
  readonly via: 'admin-token' | 'jwt' | 'token' | 'password';
  /** The request this principal is acting in (X-Request-Id): permission checks are logged with it. */
  readonly requestId?: string;
}
