/**
 * What login and tokens need stored, apart from the directory: password hashes (one per user,
 * never part of the User record, so no listing or serializer can leak them), the key Portcullis
 * signs its tokens with (shared by every replica through the store), and token revocations.
 *
 * Revocations are records every replica reads when it validates a token, so a token revoked
 * through one replica is refused by all of them from that moment (see README "Tokens").
 */
export interface PasswordRecord {
  readonly userId: string;
  /** A PHC string (`$argon2id$v=19$...`); never the password. */
  readonly hash: string;
  /** ISO-8601. */
  readonly updatedAt: string;
}

export interface PasswordStore {
  get(userId: string): Promise<PasswordRecord | undefined>;
  /** Creates or replaces the user's password record. */
  set(record: PasswordRecord): Promise<void>;
  delete(userId: string): Promise<boolean>;
}

/**
 * One revocation: of a single token (`token`, by its audit id), of every token rescoped from one
 * first token (`chain`, by the first token's audit id), or of every token a user was issued up to
 * an instant (`user`, e.g. after a password change or while disabled).
 */
export type Revocation =
  | { readonly kind: 'token' | 'chain'; readonly auditId: string; readonly expiresAt: number }
  | { readonly kind: 'user'; readonly userId: string; readonly issuedBefore: number; readonly expiresAt: number };

/** What a token says about itself, for the revocation check. Times are epoch milliseconds. */
export interface TokenFacts {
  readonly auditId: string;
  readonly chainId: string;
  readonly userId: string;
  readonly issuedAt: number;
}

export interface TokenStore {
  /**
   * The shared signing key: the one already stored, else `candidate`, stored now. Replicas starting
   * together all get the same key (the first insert wins).
   */
  signingKey(candidate: string): Promise<string>;
  /** Idempotent. A user revocation keeps the latest `issuedBefore`. */
  revoke(revocation: Revocation): Promise<void>;
  /** True when a revocation covers the token (its audit id, its chain, or its user at its issue time). */
  isRevoked(token: TokenFacts): Promise<boolean>;
  /** Forgets revocations whose tokens have all expired (`expiresAt` < now); returns how many. */
  purge(now: number): Promise<number>;
}

/** Keys revocations are stored under: `t:<audit id>`, `c:<chain id>`, `u:<user id>`. */
export const REVOKED = {
  token: (auditId: string) => `t:${auditId}`,
  chain: (chainId: string) => `c:${chainId}`,
  user: (userId: string) => `u:${userId}`,
} as const;

export function revocationKey(r: Revocation): string {
  return r.kind === 'user' ? REVOKED.user(r.userId) : REVOKED[r.kind](r.auditId);
}
