/**
 * The stores the contract suite runs against: memory always, MongoDB when MONGODB_URI is set.
 * `forEachStore` declares one describe block per kind; `get()` gives each test an empty bundle
 * (a new memory store; on MongoDB, one fresh database per block, emptied before every test and
 * dropped at the end).
 */
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { createMemoryStores } from '../../../src/store/memory/memory-stores.js';
import { COLLECTIONS } from '../../../src/store/mongo/mongo-indexes.js';
import { openMongoStores } from '../../../src/store/mongo/mongo-stores.js';
import type { Stores } from '../../../src/store/stores.js';
import { freshDbName, MONGODB_URI } from '../../helpers/mongo-env.js';

export type StoreKindName = 'memory' | 'mongodb';

interface StoreKind {
  readonly name: StoreKindName;
  setup(): Promise<void>;
  fresh(): Promise<Stores>;
  teardown(): Promise<void>;
}

function memoryKind(): StoreKind {
  return { name: 'memory', setup: async () => {}, fresh: async () => createMemoryStores(), teardown: async () => {} };
}

function mongoKind(uri: string): StoreKind {
  const dbName = freshDbName('contract');
  const admin = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  let stores: Stores | undefined;
  return {
    name: 'mongodb',
    async setup() {
      stores = await openMongoStores({ uri, dbName });
    },
    async fresh() {
      const db = admin.db(dbName);
      await Promise.all(Object.values(COLLECTIONS).map((c) => db.collection(c).deleteMany({})));
      return stores!;
    },
    async teardown() {
      await stores?.close();
      await admin.db(dbName).dropDatabase();
      await admin.close();
    },
  };
}

export const STORE_KINDS: readonly StoreKindName[] = MONGODB_URI ? ['memory', 'mongodb'] : ['memory'];

/** Declares `body` once per store kind; `get()` returns an empty bundle for the current test. */
export function forEachStore(title: string, body: (get: () => Stores, kind: StoreKindName) => void): void {
  for (const name of STORE_KINDS) {
    describe(`${title} [${name}]`, () => {
      const kind = name === 'mongodb' ? mongoKind(MONGODB_URI!) : memoryKind();
      let stores: Stores | undefined;
      beforeAll(() => kind.setup());
      beforeEach(async () => {
        stores = await kind.fresh();
      });
      afterAll(() => kind.teardown());
      body(() => stores!, name);
    });
  }
}
