/** In-memory password records, signing key and token revocations (one process only). */
import { REVOKED, revocationKey, type PasswordRecord, type PasswordStore, type Revocation, type TokenFacts, type TokenStore } from '../credential-store.js';

export class MemoryPasswordStore implements PasswordStore {
  private readonly records = new Map<string, PasswordRecord>();

  async get(userId: string) {
    const r = this.records.get(userId);
    return r && { ...r };
  }
  async set(record: PasswordRecord) {
    this.records.set(record.userId, { ...record });
  }
  async delete(userId: string) {
    return this.records.delete(userId);
  }
}

export class MemoryTokenStore implements TokenStore {
  private key: string | undefined;
  /** Revocation key (REVOKED) → revocation; a user's keeps the latest instant. */
  private readonly revocations = new Map<string, Revocation>();

  async signingKey(candidate: string) {
    this.key ??= candidate;
    return this.key;
  }

  async revoke(r: Revocation) {
    const key = revocationKey(r);
    const previous = this.revocations.get(key);
    if (r.kind === 'user' && previous?.kind === 'user') {
      this.revocations.set(key, {
        ...r,
        issuedBefore: Math.max(r.issuedBefore, previous.issuedBefore),
        expiresAt: Math.max(r.expiresAt, previous.expiresAt),
      });
      return;
    }
    this.revocations.set(key, { ...r });
  }

  async isRevoked(t: TokenFacts) {
    if (this.revocations.has(REVOKED.token(t.auditId)) || this.revocations.has(REVOKED.chain(t.chainId))) return true;
    const user = this.revocations.get(REVOKED.user(t.userId));
    return user?.kind === 'user' && t.issuedAt <= user.issuedBefore;
  }

  async purge(now: number) {
    let n = 0;
    for (const [k, r] of this.revocations) {
      if (r.expiresAt < now) {
        this.revocations.delete(k);
        n++;
      }
    }
    return n;
  }
}
