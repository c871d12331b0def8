/**
 * Users' passwords: set, remove and verify, with failed-login throttling and logging.
 *
 * Any family that logs users in by name and password calls this service (Keystone's
 * `POST /v3/auth/tokens`, and for example a Traffic Ops login or ManageIQ basic auth), then
 * `TokenService.issue` for a token; both are on `app.services` (`passwords`, `tokens`):
 *
 *   const login = await app.services.passwords.verify({ name: 'alice' }, password, { source: ctx.ip });
 *   if (!login.ok) ...            // login.reason: 'invalid' | 'throttled' (then login.retryAfterMs)
 *   const token = await app.services.tokens.issue(login.user.id, { type: 'system' }, { methods: ['password'] });
 *   ctx.cookies.set('mojolicious', token.id, ...)  // accepted wherever a credential is (src/auth)
 *
 * `verify` takes `{ userId }`, or `{ name }` with `domainId` or `domainName` (no domain means the
 * `default` domain, which is what clients without domains want). It answers `invalid` alike for an
 * unknown user, a user without a password, a wrong password, and a disabled user or domain, and
 * spends about the same time on each, so callers cannot tell them apart (the log can: `reason`).
 * Every failure is logged at warn level with the user key, source and reason, never the password.
 *
 * Setting or removing a password (`set`) revokes every token the user holds, as Keystone does.
 * Hashes are argon2id (password-hasher.ts) in the password store, never in the User record.
 */
import type { PasswordStore, TokenStore } from '../../store/credential-store.js';
import type { DirectoryStore, User } from '../../store/directory-store.js';
import type { Logger } from '../../telemetry/logger.js';
import type { LoginThrottle } from './login-throttle.js';
import type { PasswordHasher } from './password-hasher.js';

export type PasswordLogin =
  | { readonly userId: string }
  | { readonly name: string; readonly domainId?: string; readonly domainName?: string };

export type LoginResult =
  | { readonly ok: true; readonly user: User }
  | { readonly ok: false; readonly reason: 'invalid' }
  | { readonly ok: false; readonly reason: 'throttled'; readonly retryAfterMs: number };

/** Why a login failed, for the log only (callers see `invalid`). */
type FailureDetail = 'unknown user' | 'no password' | 'wrong password' | 'user disabled' | 'domain disabled';

/** Longest password accepted (Keystone's `max_password_length` default). */
export const MAX_PASSWORD_LENGTH = 4096;

export const DEFAULT_DOMAIN_ID = 'default';

export interface PasswordServiceDeps {
  readonly directory: DirectoryStore;
  readonly passwords: PasswordStore;
  readonly tokens: TokenStore;
  readonly hasher: PasswordHasher;
  readonly throttle: LoginThrottle;
  readonly log: Logger;
  /** Lifetime of a token, so a user revocation is kept as long as any token it covers. */
  readonly tokenTtlMs: number;
}

/** Where a login attempt comes from. */
export interface LoginContext {
  readonly source: string;
  readonly log?: Logger;
}

export class PasswordService {
  /** Verified against when there is no user or no hash, so every failure costs one argon2 verify. */
  private decoy: Promise<string> | undefined;

  constructor(private readonly deps: PasswordServiceDeps) {}

  /**
   * Sets (string) or removes (null) the user's password, and revokes the user's tokens (pass
   * `revokeTokens: false` for a user just created, which has none).
   */
  async set(userId: string, password: string | null, options: { revokeTokens?: boolean } = {}): Promise<void> {
    if (password === null) await this.deps.passwords.delete(userId);
    else {
      const hash = await this.deps.hasher.hash(password);
      await this.deps.passwords.set({ userId, hash, updatedAt: new Date().toISOString() });
    }
    if (options.revokeTokens !== false) await this.revokeTokensOf(userId);
  }

  /** Forgets the user's password (the user is being deleted). */
  async forget(userId: string): Promise<void> {
    await this.deps.passwords.delete(userId);
  }

  async hasPassword(userId: string): Promise<boolean> {
    return (await this.deps.passwords.get(userId)) !== undefined;
  }

  /** Every token the user was issued until now stops validating. */
  async revokeTokensOf(userId: string): Promise<void> {
    const now = Date.now();
    await this.deps.tokens.revoke({ kind: 'user', userId, issuedBefore: now, expiresAt: now + this.deps.tokenTtlMs });
  }

  /**
   * Checks a password; see the module comment for what callers learn. `source` is the client
   * address; `log` the request's logger (its lines then carry the request id).
   */
  async verify(login: PasswordLogin, password: string, context: LoginContext): Promise<LoginResult> {
    const log = context.log ?? this.deps.log;
    const user = await this.find(login);
    const userKey = user ? `id:${user.id}` : nameKey(login);
    const retryAfterMs = await this.deps.throttle.retryAfterMs(userKey, context.source);
    if (retryAfterMs > 0) {
      log.warn({ event: 'login_throttled', user: userKey, source: context.source, retryAfterMs }, 'password login refused: too many failures');
      return { ok: false, reason: 'throttled', retryAfterMs };
    }
    const record = user ? await this.deps.passwords.get(user.id) : undefined;
    const matches = await this.deps.hasher.verify(record?.hash ?? (await this.decoyHash()), password);
    const detail = await this.failure(user, record !== undefined, matches);
    if (detail) {
      await this.deps.throttle.failed(userKey, context.source);
      log.warn({ event: 'login_failed', user: userKey, source: context.source, reason: detail }, 'password login failed');
      return { ok: false, reason: 'invalid' };
    }
    await this.deps.throttle.succeeded(userKey, context.source);
    return { ok: true, user: user! };
  }

  private async failure(user: User | undefined, hasHash: boolean, matches: boolean): Promise<FailureDetail | undefined> {
    if (!user) return 'unknown user';
    if (!hasHash) return 'no password';
    if (!matches) return 'wrong password';
    if (!user.enabled) return 'user disabled';
    const domain = await this.deps.directory.domains.get(user.domainId);
    if (!domain?.enabled) return 'domain disabled';
    return undefined;
  }

  private async find(login: PasswordLogin): Promise<User | undefined> {
    const { users, domains } = this.deps.directory;
    if ('userId' in login) return users.get(login.userId);
    let domainId = login.domainId;
    if (domainId === undefined && login.domainName !== undefined) {
      domainId = (await domains.list({ name: login.domainName }))[0]?.id;
      if (domainId === undefined) return undefined;
    }
    return (await users.list({ name: login.name, domainId: domainId ?? DEFAULT_DOMAIN_ID }))[0];
  }

  private decoyHash(): Promise<string> {
    this.decoy ??= this.deps.hasher.hash('portcullis decoy password');
    return this.decoy;
  }
}

function nameKey(login: PasswordLogin): string {
  if ('userId' in login) return `id:${login.userId}`;
  const domain = login.domainId ?? (login.domainName !== undefined ? `name:${login.domainName}` : DEFAULT_DOMAIN_ID);
  return `name:${domain}/${login.name}`;
}
