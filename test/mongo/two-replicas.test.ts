/**
 * Two Portcullis processes on one database. Registry and lock data are read per decision, so a
 * write through one replica shows in the other at once; role-graph and policy changes travel
 * through the version document and must show within the documented bound (sync interval plus
 * one rebuild). The measured figures are printed for the README.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openMongoStores } from '../../src/store/mongo/mongo-stores.js';
import type { Stores } from '../../src/store/stores.js';
import { dropDatabase, freshDbName } from '../helpers/mongo-env.js';
import { decide, mongoUri, startServer, type ServerProcess } from './server-process.js';

const uri = mongoUri();
const dbName = freshDbName('replicas');
const INTERVAL_MS = 1000; // the default PORTCULLIS_SYNC_INTERVAL_MS
/** Documented bound: one interval plus a rebuild; the slack covers the rebuild and request time. */
const BOUND_MS = INTERVAL_MS + 1000;
let a: ServerProcess;
let b: ServerProcess;
let stores: Stores;

beforeAll(async () => {
  const env = { MONGODB_URI: uri, MONGODB_DB: dbName, PORTCULLIS_SYNC_INTERVAL_MS: String(INTERVAL_MS) };
  // Both start at once on an empty database: index creation and bootstrap race on purpose.
  [a, b] = await Promise.all([startServer(env), startServer(env)]);
  stores = await openMongoStores({ uri, dbName });
}, 60000);

afterAll(async () => {
  await Promise.all([a?.kill('SIGTERM'), b?.kill('SIGTERM')]);
  await stores?.close();
  await dropDatabase(uri, dbName);
});

/** Milliseconds until `check` first returns `want`, polling every 20 ms. */
async function timeUntil(check: () => Promise<boolean>, want: boolean, limitMs = 10000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    if ((await check()) === want) return Math.round(performance.now() - started);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no change within ${limitMs} ms`);
}

it('bootstraps once when two replicas start together on an empty database', async () => {
  for (const name of ['admin', 'manager', 'member', 'reader', 'service']) {
    expect(await stores.roles.list({ name, domainId: null })).toHaveLength(1);
  }
  expect(await stores.inferences.list()).toHaveLength(3);
  expect(await stores.grants.list({ actorId: 'admin' })).toHaveLength(1);
});

it('shows ownership and locks written through one replica in the other at once', async () => {
  expect((await a.json('PUT', '/v1/resources/vm/shared', { owner: 'jdoe', project_id: 'p1' })).status).toBe(201);
  expect(await decide(b, 'jdoe', 'update', 'vm', 'shared')).toBe(true);
  expect(await stores.routeLocks.acquire('vm', 'shared', 'other', new Date().toISOString())).toBe('acquired');
  expect(await decide(a, 'jdoe', 'update', 'vm', 'shared')).toBe(false);
  expect(await decide(b, 'jdoe', 'update', 'vm', 'shared')).toBe(false);
});

it('carries policy rows and grants to the other replica within the staleness bound', { timeout: 120000 }, async () => {
  await a.json('PUT', '/v1/resources/vm/r1', { project_id: 'p1' });
  const member = (await stores.roles.list({ name: 'member', domainId: null }))[0]!;
  const lags: number[] = [];
  for (let i = 0; i < 4; i++) {
    // A policy row added through replica A (API), then removed through replica B (API).
    const row = { ptype: 'p', values: [`user:u${i}`, 'vm', 'reboot', 'allow'] };
    expect((await a.json('POST', '/v1/policy/rules', row)).status).toBe(201);
    expect(await decide(a, `u${i}`, 'reboot', 'vm', 'r1')).toBe(true); // the writer sees it at once
    lags.push(await timeUntil(() => decide(b, `u${i}`, 'reboot', 'vm', 'r1'), true));
    expect((await b.json('DELETE', '/v1/policy/rules', row)).status).toBe(200);
    lags.push(await timeUntil(() => decide(a, `u${i}`, 'reboot', 'vm', 'r1'), false));
    // A grant written by another writer (the identity family's path): store write + version bump.
    const grant = { actorType: 'user', actorId: `g${i}`, targetType: 'project', targetId: 'p1', roleId: member.id, inherited: false } as const;
    await stores.grants.add(grant);
    await stores.version.bump();
    lags.push(await timeUntil(() => decide(b, `g${i}`, 'update', 'vm', 'r1'), true));
    await new Promise((r) => setTimeout(r, (i * 317) % INTERVAL_MS)); // vary the phase against the poll timer
  }
  const max = Math.max(...lags);
  const mean = Math.round(lags.reduce((s, x) => s + x, 0) / lags.length);
  const sync = (await b.json('GET', '/readyz')).body.sync;
  process.stdout.write(
    `replica staleness over ${lags.length} writes: max ${max} ms, mean ${mean} ms ` +
      `(interval ${INTERVAL_MS} ms, last rebuild ${sync.lastRebuildMs} ms)\n`,
  );
  expect(max).toBeLessThanOrEqual(BOUND_MS);
  expect(sync).toMatchObject({ mode: 'poll', intervalMs: INTERVAL_MS, lastError: null });
  expect(sync.rebuilds).toBeGreaterThan(0);
});
