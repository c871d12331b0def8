/**
 * Vitest global setup: states which stores this run covers, refuses a CI run without MongoDB,
 * and checks that MONGODB_URI answers before hundreds of tests time out one by one.
 */
import { MongoClient } from 'mongodb';
import { missingMongoInCi } from '../helpers/mongo-env.js';

export default async function setup(): Promise<void> {
  const problem = missingMongoInCi();
  if (problem) throw new Error(problem);
  const uri = process.env.MONGODB_URI;
  if (!uri) {
    process.stdout.write(
      '\n*** MongoDB suites NOT run: MONGODB_URI is unset. Ran the memory store only; the store contract ' +
        'suite on MongoDB, the HTTP tests on MongoDB and test/mongo (restart, two replicas, outage) were left out. ' +
        'Set MONGODB_URI (e.g. mongodb://127.0.0.1:27017) to run them. ***\n\n',
    );
    return;
  }
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.db('admin').command({ ping: 1 });
  } catch (err) {
    throw new Error(`MONGODB_URI is set but does not answer a ping: ${(err as Error).message}`);
  } finally {
    await client.close();
  }
  process.stdout.write(`\n*** Store suites run on memory AND MongoDB (${uri.replace(/\/\/[^@/]*@/, '//***@')}). ***\n\n`);
}
