/**
 * Password records (`user_passwords`, `_id` = user id), the token signing key and token
 * revocations (`token_revocations`: `_id` `t:<audit id>` | `c:<chain id>`, or one document per
 * user revocation) on MongoDB. A revocation check is one query (`_id $in`, or the user's
 * revocations). The signing key is one document inserted once: the first replica's insert wins,
 * the others read it back.
 */
import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { REVOKED, revocationKey, type PasswordRecord, type PasswordStore, type Revocation, type TokenFacts, type TokenStore } from '../credential-store.js';
import { guard, isDuplicateKey } from './mongo-errors.js';
import { COLLECTIONS } from './mongo-indexes.js';

interface PasswordDoc {
  _id: string;
  hash: string;
  updatedAt: string;
}

export class MongoPasswordStore implements PasswordStore {
  private readonly col: Collection<PasswordDoc>;

  constructor(db: Db) {
    this.col = db.collection<PasswordDoc>(COLLECTIONS.passwords);
  }

  get(userId: string) {
    return guard(async () => {
      const d = await this.col.findOne({ _id: userId });
      return d ? { userId: d._id, hash: d.hash, updatedAt: d.updatedAt } : undefined;
    });
  }
  set(r: PasswordRecord) {
    return guard(async () => {
      await this.col.replaceOne({ _id: r.userId }, { hash: r.hash, updatedAt: r.updatedAt }, { upsert: true });
    });
  }
  delete(userId: string) {
    return guard(async () => (await this.col.deleteOne({ _id: userId })).deletedCount === 1);
  }
}

interface KeyDoc {
  _id: string;
  key: string;
}

interface RevocationDoc {
  _id: string;
  kind: Revocation['kind'];
  userId?: string;
  issuedBefore?: number;
  expiresAt: number;
}

const SIGNING_KEY_ID = 'token-signing-key';

export class MongoTokenStore implements TokenStore {
  private readonly keys: Collection<KeyDoc>;
  private readonly col: Collection<RevocationDoc>;

  constructor(db: Db) {
    this.keys = db.collection<KeyDoc>(COLLECTIONS.secrets);
    this.col = db.collection<RevocationDoc>(COLLECTIONS.tokenRevocations);
  }

  signingKey(candidate: string) {
    return guard(async () => {
      try {
        await this.keys.insertOne({ _id: SIGNING_KEY_ID, key: candidate });
        return candidate;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const stored = await this.keys.findOne({ _id: SIGNING_KEY_ID });
      if (!stored) throw new Error('token signing key vanished while being read');
      return stored.key;
    });
  }

  /**
   * A token or chain revocation is one document under its key. Each user revocation is a document
   * of its own, inserted, never updated: concurrent conditional updates are not atomic on FerretDB
   * v1, and the check only asks whether any of them is late enough.
   */
  revoke(r: Revocation) {
    return guard(async () => {
      if (r.kind === 'user') {
        await this.col.insertOne({
          _id: `${revocationKey(r)}:${r.issuedBefore}:${randomUUID()}`,
          kind: 'user',
          userId: r.userId,
          issuedBefore: r.issuedBefore,
          expiresAt: r.expiresAt,
        });
        return;
      }
      try {
        await this.col.updateOne({ _id: revocationKey(r) }, { $set: { kind: r.kind, expiresAt: r.expiresAt } }, { upsert: true });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err; // a concurrent upsert stored the same revocation
      }
    });
  }

  isRevoked(t: TokenFacts) {
    return guard(async () => {
      const hit = await this.col.findOne(
        {
          $or: [
            { _id: { $in: [REVOKED.token(t.auditId), REVOKED.chain(t.chainId)] } },
            { userId: t.userId, issuedBefore: { $gte: t.issuedAt } },
          ],
        },
        { projection: { _id: 1 } },
      );
      return hit !== null;
    });
  }

  purge(now: number) {
    return guard(async () => (await this.col.deleteMany({ expiresAt: { $lt: now } })).deletedCount);
  }
}
