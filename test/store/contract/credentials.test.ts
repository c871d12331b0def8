/** Password records, the shared token signing key and token revocations, on every store kind. */
import { expect, it } from 'vitest';
import { forEachStore } from './store-kinds.js';

forEachStore('credential stores', (get) => {
  it('keeps one password record per user: set replaces, delete removes', async () => {
    const { passwords } = get();
    expect(await passwords.get('u1')).toBeUndefined();
    await passwords.set({ userId: 'u1', hash: '$argon2id$one', updatedAt: '2026-01-01T00:00:00.000Z' });
    await passwords.set({ userId: 'u2', hash: '$argon2id$two', updatedAt: '2026-01-01T00:00:00.000Z' });
    await passwords.set({ userId: 'u1', hash: '$argon2id$three', updatedAt: '2026-01-02T00:00:00.000Z' });
    expect(await passwords.get('u1')).toEqual({ userId: 'u1', hash: '$argon2id$three', updatedAt: '2026-01-02T00:00:00.000Z' });
    expect(await passwords.delete('u1')).toBe(true);
    expect(await passwords.delete('u1')).toBe(false);
    expect(await passwords.get('u1')).toBeUndefined();
    expect((await passwords.get('u2'))?.hash).toBe('$argon2id$two');
  });

  it('hands every caller the first signing key stored, even when they race', async () => {
    const { tokens } = get();
    const keys = await Promise.all(['k1', 'k2', 'k3', 'k4'].map((k) => tokens.signingKey(k)));
    expect(new Set(keys).size).toBe(1);
    expect(await tokens.signingKey('later')).toBe(keys[0]);
  });

  it('revokes one token, a whole chain, or a user up to an instant', async () => {
    const { tokens } = get();
    const facts = (auditId: string, chainId: string, userId: string, issuedAt: number) => ({ auditId, chainId, userId, issuedAt });
    const far = Date.now() + 3_600_000;
    expect(await tokens.isRevoked(facts('a1', 'a1', 'u1', 1000))).toBe(false);
    await tokens.revoke({ kind: 'token', auditId: 'a1', expiresAt: far });
    expect(await tokens.isRevoked(facts('a1', 'a1', 'u1', 1000))).toBe(true);
    // Revoking one token does not revoke what was rescoped from it...
    expect(await tokens.isRevoked(facts('a2', 'a1', 'u1', 1000))).toBe(false);
    // ...revoking its chain does.
    await tokens.revoke({ kind: 'chain', auditId: 'a1', expiresAt: far });
    expect(await tokens.isRevoked(facts('a2', 'a1', 'u1', 1000))).toBe(true);
    expect(await tokens.isRevoked(facts('b1', 'b1', 'u2', 1000))).toBe(false);
    await tokens.revoke({ kind: 'user', userId: 'u2', issuedBefore: 2000, expiresAt: far });
    await tokens.revoke({ kind: 'user', userId: 'u2', issuedBefore: 1500, expiresAt: far }); // an older one does not move it back
    expect(await tokens.isRevoked(facts('b1', 'b1', 'u2', 2000))).toBe(true);
    expect(await tokens.isRevoked(facts('b2', 'b2', 'u2', 2001))).toBe(false);
    await Promise.all([3000, 4000, 3500].map((t) => tokens.revoke({ kind: 'user', userId: 'u2', issuedBefore: t, expiresAt: far })));
    expect(await tokens.isRevoked(facts('b3', 'b3', 'u2', 4000))).toBe(true);
    expect(await tokens.isRevoked(facts('b4', 'b4', 'u2', 4001))).toBe(false);
  });

  it('purges revocations whose tokens have all expired', async () => {
    const { tokens } = get();
    await tokens.revoke({ kind: 'token', auditId: 'old', expiresAt: 1000 });
    await tokens.revoke({ kind: 'user', userId: 'u9', issuedBefore: 500, expiresAt: 1000 });
    await tokens.revoke({ kind: 'token', auditId: 'new', expiresAt: 5000 });
    expect(await tokens.purge(2000)).toBe(2);
    expect(await tokens.isRevoked({ auditId: 'old', chainId: 'old', userId: 'x', issuedAt: 0 })).toBe(false);
    expect(await tokens.isRevoked({ auditId: 'new', chainId: 'new', userId: 'x', issuedAt: 0 })).toBe(true);
  });
});
