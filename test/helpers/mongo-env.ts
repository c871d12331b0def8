/**
 * Which stores the test run covers. MONGODB_URI set: memory and MongoDB. Unset: memory only, and
 * the run says so; under CI=true that is an error unless PORTCULLIS_TEST_STORES=memory asks for
 * the memory-only pass on purpose (`.ci/run` runs memory first, then everything on FerretDB).
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';

export const MONGODB_URI = process.env.MONGODB_URI || undefined;

/** A database name no other test uses; dropped by `dropDatabase`. */
export function freshDbName(prefix: string): string {
  return `pc_${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

export async function dropDatabase(uri: string, dbName: string): Promise<void> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.db(dbName).dropDatabase();
  } finally {
    await client.close();
  }
}

/** Why the MongoDB suites cannot run in this environment, or undefined when they can (or may be skipped). */
export function missingMongoInCi(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.MONGODB_URI) return undefined;
  if (env.CI === 'true' && env.PORTCULLIS_TEST_STORES !== 'memory') {
    return 'CI=true but MONGODB_URI is unset: the MongoDB store suites cannot run. Point MONGODB_URI at a MongoDB or FerretDB (.ci/run starts one), or set PORTCULLIS_TEST_STORES=memory for a deliberate memory-only pass.';
  }
  return undefined;
}
