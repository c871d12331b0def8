/**
 * The change log's failure cases (docs/architecture.md, "Several replicas on one MongoDB"), with
 * two replicas in this process on one database:
 *  - a replica that fell behind the log's retention reloads once, and then has every write;
 *  - an entry left pending by a writer that died (claimed, never finished) is given up after the
 *    pending timeout: marked abandoned, every replica reloads, and writes to the same record go on.
 */
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ReplicaSync } from '../../src/domain/replica-sync.js';
import { COLLECTIONS } from '../../src/store/mongo/mongo-indexes.js';
import { keys } from '../../src/store/change-ops.js';
import { dropDatabase, freshDbName } from '../helpers/mongo-env.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { mongoUri } from './server-process.js';

const uri = mongoUri();
const dbName = freshDbName('changelog');
const env = { MONGODB_DB: dbName, PORTCULLIS_FEED_RETENTION: '100', PORTCULLIS_FEED_PENDING_TIMEOUT_MS: '1000' };
let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  a = await startTestApp(env);
  b = await startTestApp(env);
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await dropDatabase(uri, dbName);
});

const syncOf = (t: TestApp) => t.portcullis.context.sync as ReplicaSync;
const owns = async (t: TestApp, id: string) =>
  (await t.request('POST', '/access/v1/evaluation', {
    body: { subject: { type: 'user', id: 'jdoe' }, action: { name: 'update' }, resource: { type: 'vm', id } },
  })).body.decision as boolean;

it('reloads once when it fell behind the retention of the log, and then has every write', { timeout: 120000 }, async () => {
  const sync = syncOf(b);
  const reloadsBefore = sync.status().reloads;
  await sync.stop(); // B stops following, as if paused
  for (let i = 0; i < 160; i++) expect((await a.request('PUT', `/v1/resources/vm/behind-${i}`, { body: { owner: 'jdoe' } })).status).toBe(201);
  await sync.catchUp(); // the entries B needs next were pruned: it reloads
  expect(sync.status().reloads).toBe(reloadsBefore + 1);
  expect(await owns(b, 'behind-0')).toBe(true);
  expect(await owns(b, 'behind-159')).toBe(true);
});

it('gives up on an entry whose writer died, reloads, and lets writes to the same record go on', { timeout: 120000 }, async () => {
  const client = new MongoClient(uri);
  try {
    const changes = client.db(dbName).collection<{ _id: number; state?: string }>(COLLECTIONS.changes);
    const [top] = await changes.find({}).sort({ _id: -1 }).limit(1).toArray();
    // A writer claimed the next entry for vm/dead and died before writing or finishing it.
    const dead = (top?._id ?? 0) + 1;
    await changes.insertOne({ _id: dead, state: 'pending', keys: [keys.resource('vm', 'dead')], at: Date.now(), by: 'crashed' } as never);
    const sync = syncOf(a);
    const reloadsBefore = sync.status().reloads;
    // A write to the same record waits for the dead entry up to the pending timeout, then goes on.
    const started = performance.now();
    expect((await a.request('PUT', '/v1/resources/vm/dead', { body: { owner: 'jdoe' } })).status).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    expect(await owns(a, 'dead')).toBe(true);
    await expect.poll(async () => (await changes.findOne({ _id: dead }))?.state, { timeout: 10000 }).toBe('abandoned');
    await expect.poll(() => sync.status().reloads, { timeout: 10000 }).toBeGreaterThan(reloadsBefore);
    // A reload already running when the entry was claimed may still watch it; the next poll sees it
    // abandoned (a reload entry) and reloads again, without it.
    await expect.poll(() => sync.status().pendingSeqs, { timeout: 10000 }).not.toContain(dead);
    await syncOf(b).catchUp(); // B's timer was stopped by the first test
    expect(await owns(b, 'dead')).toBe(true);
  } finally {
    await client.close();
  }
});
