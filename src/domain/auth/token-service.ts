/**
 * Tokens Portcullis issues: compact JWTs (HS256, header `kid: "portcullis"`) signed with the
 * token key, which is PORTCULLIS_TOKEN_SECRET or else one key generated once and shared by every
 * replica through the store, so any replica validates any replica's tokens.
 *
 *   const token = await tokens.issue(userId, { type: 'project', id: projectId }, { methods: ['password'] });
 *   token.id         // the credential: X-Auth-Token, Bearer, the `mojolicious` cookie... (src/auth)
 *   await tokens.validate(token.id)   // IssuedToken, or undefined when invalid, expired or revoked
 *   await tokens.revoke(token)        // with its rescoped descendants, unless { cascade: false }
 *
 * Claims: `sub` user, `scope` (`project:<id>` | `domain:<id>` | `system` | `unscoped`), `methods`,
 * `jti` (the audit id), `chain` (the audit id of the first token of a rescoping chain),
 * `issued_at_ms`, `exp`. A token is valid while its signature and expiry hold, no revocation in
 * the store covers it, its user exists and is enabled in an enabled domain, and its project or
 * domain exists and is enabled. Revocations are read from the store at each validation, so a
 * revocation made through one replica holds on all of them at once.
 * Roles are never in the token: they come from the role graph when it is used (docs/compatibility.md §8.1).
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JWTPayload } from 'jose';
import type { Identity } from '../../auth/authenticator.js';
import { loadJose } from '../../auth/jose.js';
import type { TokenScope } from '../../auth/principal.js';
import { scopeKeyOf } from '../../engine/scope.js';
import { unauthorized } from '../../errors.js';
import type { TokenStore } from '../../store/credential-store.js';
import type { DirectoryStore } from '../../store/directory-store.js';

export const TOKEN_KID = 'portcullis';

export interface IssuedToken {
  /** The token itself (what clients send). */
  readonly id: string;
  readonly userId: string;
  readonly scope: TokenScope;
  readonly methods: readonly string[];
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  /** This token's audit id, then the chain's first token's when rescoped (Keystone's `audit_ids`). */
  readonly auditIds: readonly string[];
}

export interface IssueOptions {
  /** Authentication methods that produced it, e.g. ['password']; default ['password']. */
  readonly methods?: readonly string[];
  /** A rescoped token keeps its parent's expiry and audit chain. */
  readonly parent?: IssuedToken;
}

export interface TokenServiceDeps {
  readonly directory: DirectoryStore;
  readonly tokens: TokenStore;
  /** The HS256 key (config or store; see `tokenKey`). */
  readonly key: Uint8Array;
  readonly ttlSeconds: number;
}

/** The signing key: the configured secret, else the store's shared key (created on first start). */
export async function tokenKey(configured: string | undefined, store: TokenStore): Promise<Uint8Array> {
  const secret = configured ?? (await store.signingKey(randomBytes(32).toString('base64url')));
  return new TextEncoder().encode(secret);
}

export class TokenService {
  constructor(private readonly deps: TokenServiceDeps) {}

  /** Issues a token; 401 (AppError) when the user or the scope's target is missing or disabled. */
  async issue(userId: string, scope: TokenScope, options: IssueOptions = {}): Promise<IssuedToken> {
    if (!(await this.holds(userId, scope))) throw unauthorized('The request you have made requires authentication.');
    const auditId = randomBytes(16).toString('base64url');
    const issuedAt = await this.instantAfterRevocations(userId, auditId);
    const parent = options.parent;
    const expiresAt = parent?.expiresAt ?? new Date(Math.floor(issuedAt.getTime() / 1000 + this.deps.ttlSeconds) * 1000);
    const chain = parent ? parent.auditIds[parent.auditIds.length - 1]! : auditId;
    const methods = [...(options.methods ?? ['password'])];
    const { SignJWT } = await loadJose();
    const id = await new SignJWT({ scope: scopeClaim(scope), methods, chain, issued_at_ms: issuedAt.getTime() })
      .setProtectedHeader({ alg: 'HS256', kid: TOKEN_KID })
      .setSubject(userId)
      .setJti(auditId)
      .setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.deps.key);
    return { id, userId, scope, methods, issuedAt, expiresAt, auditIds: chain === auditId ? [auditId] : [auditId, chain] };
  }

  /**
   * The issue time of a new token: now, unless a revocation of the user's tokens covers now. A user
   * revocation covers tokens issued up to and including its millisecond, so a login in the same
   * millisecond as a password change would get a token born revoked; it waits for the next one.
   * Bounded, so a revocation stamped ahead by a replica's fast clock cannot stall a login.
   */
  private async instantAfterRevocations(userId: string, auditId: string): Promise<Date> {
    for (let waited = 0; ; waited++) {
      const now = Date.now();
      const facts = { auditId, chainId: auditId, userId, issuedAt: now };
      if (waited === 5 || !(await this.deps.tokens.isRevoked(facts))) return new Date(now);
      await sleep(1);
    }
  }

  /** True when the credential is shaped like one of our tokens (whether or not it is valid). */
  async recognizes(credential: string): Promise<boolean> {
    const { decodeProtectedHeader } = await loadJose();
    try {
      return decodeProtectedHeader(credential).kid === TOKEN_KID;
    } catch {
      return false;
    }
  }

  /** The token's contents when it is valid now (see the module comment), else undefined. */
  async validate(credential: string): Promise<IssuedToken | undefined> {
    const token = await this.decode(credential);
    if (!token) return undefined;
    const [revoked, holds] = await Promise.all([
      this.deps.tokens.isRevoked({
        auditId: token.auditIds[0]!,
        chainId: token.auditIds[token.auditIds.length - 1]!,
        userId: token.userId,
        issuedAt: token.issuedAt.getTime(),
      }),
      this.holds(token.userId, token.scope),
    ]);
    return revoked || !holds ? undefined : token;
  }

  /** The authenticator's view of a valid token. */
  async verify(credential: string): Promise<(Identity & { token: IssuedToken }) | undefined> {
    const token = await this.validate(credential);
    if (!token) return undefined;
    return { userId: token.userId, scope: token.scope, scopeKey: scopeKeyOf(token.scope.type, token.scope.id), via: 'token', token };
  }

  /** Revokes the token and, unless `cascade` is false, every token rescoped from its chain. */
  async revoke(token: IssuedToken, options: { cascade?: boolean } = {}): Promise<void> {
    const expiresAt = token.expiresAt.getTime();
    if (options.cascade === false) await this.deps.tokens.revoke({ kind: 'token', auditId: token.auditIds[0]!, expiresAt });
    else await this.deps.tokens.revoke({ kind: 'chain', auditId: token.auditIds[token.auditIds.length - 1]!, expiresAt });
  }

  private async decode(credential: string): Promise<IssuedToken | undefined> {
    if (!(await this.recognizes(credential))) return undefined;
    const { jwtVerify } = await loadJose();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(credential, this.deps.key, { algorithms: ['HS256'] }));
    } catch {
      return undefined;
    }
    const scope = parseScope(payload.scope);
    const { sub, jti, exp, chain, methods, issued_at_ms: issuedMs } = payload;
    if (!scope || typeof sub !== 'string' || typeof jti !== 'string' || typeof chain !== 'string') return undefined;
    if (typeof exp !== 'number' || typeof issuedMs !== 'number' || !Array.isArray(methods)) return undefined;
    return {
      id: credential,
      userId: sub,
      scope,
      methods: methods.filter((m): m is string => typeof m === 'string'),
      issuedAt: new Date(issuedMs),
      expiresAt: new Date(exp * 1000),
      auditIds: chain === jti ? [jti] : [jti, chain],
    };
  }

  /** The user exists and is enabled in an enabled domain; the scope's project or domain too. */
  private async holds(userId: string, scope: TokenScope): Promise<boolean> {
    const { users, projects } = this.deps.directory;
    const [user, project] = await Promise.all([
      users.get(userId),
      scope.type === 'project' ? projects.get(scope.id ?? '') : undefined,
    ]);
    if (!user?.enabled) return false;
    if (scope.type === 'project' && !project?.enabled) return false;
    const domainIds = new Set([user.domainId]);
    if (project) domainIds.add(project.domainId);
    if (scope.type === 'domain') domainIds.add(scope.id ?? '');
    const domains = await Promise.all([...domainIds].map((id) => this.deps.directory.domains.get(id)));
    return domains.every((d) => d?.enabled === true);
  }
}

function scopeClaim(scope: TokenScope): string {
  return scope.type === 'system' || scope.type === 'unscoped' ? scope.type : `${scope.type}:${scope.id ?? ''}`;
}

function parseScope(claim: unknown): TokenScope | undefined {
  if (claim === 'system' || claim === 'unscoped') return { type: claim };
  if (typeof claim !== 'string') return undefined;
  const m = /^(project|domain):(.+)$/.exec(claim);
  return m ? { type: m[1] as 'project' | 'domain', id: m[2]! } : undefined;
}
