/**
 * The MongoDB store bundle: connects (failing fast with a clear message when the server cannot
 * be reached), creates the indexes, and composes one store per aggregate on one database.
 * Stored policy rows go through typeorm-adapter's own connection to the same database.
 *
 * FerretDB v1 (SQLite) notes, found by the contract suite: inserts under a unique index are
 * atomic, but conditional updates are not (ten concurrent `updateOne({_id, rev: 0})` had up to 8
 * winners), so every "exactly one wins" rule here rests on inserts and unique indexes; an update
 * that breaks a unique index fails with "UNIQUE constraint failed" instead of E11000; findAndModify
 * takes no projection; `createIndexes` repeating an existing index drops the connection.
 */
import { MongoClient } from 'mongodb';
import type { Stores } from '../stores.js';
import { MongoPasswordStore, MongoTokenStore } from './mongo-credentials.js';
import { DEFAULT_DECISION_LOG_SIZE } from '../decision-log-store.js';
import { openMongoDecisionLog } from './mongo-decision-log.js';
import { createMongoDirectory } from './mongo-directory.js';
import { ensureIndexes } from './mongo-indexes.js';
import { MongoCdnLockStore } from './mongo-cdn-locks.js';
import { MongoGrantStore } from './mongo-grants.js';
import { MongoManilaLockStore } from './mongo-manila-locks.js';
import { MongoPolicyRuleStore } from './mongo-policy-rules.js';
import { MongoResourceStore } from './mongo-resources.js';
import { MongoInferenceStore, MongoRoleStore } from './mongo-roles.js';
import { MongoRouteLockStore } from './mongo-route-locks.js';
import { publishingStores } from '../publishing-stores.js';
import { MongoChangeFeed, type ChangeFeedOptions } from './mongo-change-feed.js';

export interface MongoStoreOptions {
  readonly uri: string;
  readonly dbName: string;
  /** How many decisions the log keeps (default DEFAULT_DECISION_LOG_SIZE; 0: none). */
  readonly decisionLogSize?: number;
  /**
   * How long to look for a server before an operation fails (start-up and each request); while
   * the database is away, a write answers 503 after this long (default 2 s).
   */
  readonly serverSelectionTimeoutMS?: number;
  /** How long /readyz waits for a ping. */
  readonly pingTimeoutMS?: number;
  /** Change feed retention and pending timeout (defaults: 5000 entries, 30 s). */
  readonly feed?: Partial<ChangeFeedOptions>;
}

export class MongoUnreachableError extends Error {
  constructor(uri: string, cause: unknown) {
    super(
      `cannot reach MongoDB at ${redact(uri)}: ${(cause as Error).message}. ` +
        'Check MONGODB_URI, or unset it to run with the in-memory store.',
    );
    this.name = 'MongoUnreachableError';
  }
}

/** Hides a password in a connection string before it is logged. */
export function redact(uri: string): string {
  return uri.replace(/\/\/([^:@/]+):([^@/]*)@/, '//$1:***@');
}

export async function openMongoStores(options: MongoStoreOptions): Promise<Stores> {
  const serverSelectionTimeoutMS = options.serverSelectionTimeoutMS ?? 2000;
  const client = new MongoClient(options.uri, { serverSelectionTimeoutMS, ignoreUndefined: true, appName: 'portcullis' });
  let policyRules: MongoPolicyRuleStore | undefined;
  try {
    await client.connect();
    await client.db(options.dbName).command({ ping: 1 });
  } catch (err) {
    await client.close().catch(() => undefined);
    throw new MongoUnreachableError(options.uri, err);
  }
  try {
    const db = client.db(options.dbName);
    await ensureIndexes(db);
    policyRules = await MongoPolicyRuleStore.open(options.uri, options.dbName, serverSelectionTimeoutMS);
    const decisionLog = await openMongoDecisionLog(db, options.decisionLogSize ?? DEFAULT_DECISION_LOG_SIZE);
    const feed = new MongoChangeFeed(db, { retention: 5000, pendingTimeoutMs: 30000, ...options.feed });
    const stores = publishingStores(
      {
        kind: 'mongodb',
        directory: createMongoDirectory(db),
        roles: new MongoRoleStore(db),
        inferences: new MongoInferenceStore(db),
        grants: new MongoGrantStore(db),
        resources: new MongoResourceStore(db),
        manilaLocks: new MongoManilaLockStore(db),
        cdnLocks: new MongoCdnLockStore(db),
        routeLocks: new MongoRouteLockStore(db),
        policyRules,
        decisionLog,
        passwords: new MongoPasswordStore(db),
        tokens: new MongoTokenStore(db),
        isReady: () => ping(client, options.dbName, options.pingTimeoutMS ?? 2000),
        async close() {
          await decisionLog.flush().catch(() => undefined);
          await Promise.allSettled([policyRules!.close(), client.close()]);
        },
      },
      feed,
    );
    return { ...stores, changeLog: feed };
  } catch (err) {
    await Promise.allSettled([policyRules?.close(), client.close()]);
    throw new Error(`MongoDB store setup failed on ${redact(options.uri)} (db ${options.dbName}): ${(err as Error).message}`);
  }
}

/** True when the server answers a ping within the timeout. */
async function ping(client: MongoClient, dbName: string, timeoutMS: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMS)));
  try {
    return await Promise.race([
      client.db(dbName).command({ ping: 1 }).then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
