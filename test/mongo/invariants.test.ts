/**
 * Invariants that must hold across replicas, decided in the database (issue 11): two real
 * processes on one database are given conflicting writes at the same moment, through their
 * public APIs, several times over.
 *  - implied-role acyclicity: X ⇒ Y on one replica, Y ⇒ X on the other: exactly one is stored;
 *  - name uniqueness: the same role name created on both: exactly one 201;
 *  - lock exclusivity: the same route lock and the same CDN lock taken on both: exactly one;
 *  - grants only to existing roles and actors: a grant racing the deletion of its user, or of
 *    its role, never leaves a grant behind.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshDbName } from '../helpers/mongo-env.js';
import { CDN_LOCKS, startReplicaPair, V3, type ApiClient, type ReplicaPair } from './api-client.js';
import { mongoUri } from './server-process.js';

const uri = mongoUri();
const dbName = freshDbName('invariants');
const TRIALS = 6;
const FULL = { consistency: 'full' };
let a: ApiClient;
let b: ApiClient;
let pair: ReplicaPair | undefined;

beforeAll(async () => {
  pair = await startReplicaPair(uri, dbName);
  ({ a, b } = pair);
}, 60000);

afterAll(async () => {
  await pair?.stop();
});

const statuses = (results: { status: number }[]) => results.map((r) => r.status).sort();

it('stores exactly one of X ⇒ Y and Y ⇒ X given to two replicas at once', { timeout: 120000 }, async () => {
  for (let i = 0; i < TRIALS; i++) {
    const x = await a.role(`cycle-x-${i}`);
    const y = await a.role(`cycle-y-${i}`);
    const results = await Promise.all([
      a.server.json('PUT', `${V3}/roles/${x}/implies/${y}`),
      b.server.json('PUT', `${V3}/roles/${y}/implies/${x}`),
    ]);
    expect(statuses(results), JSON.stringify(results.map((r) => r.body))).toEqual([201, 400]);
    for (const client of [a, b]) {
      const rules = (await client.expect(200, 'GET', `${V3}/role_inferences`)).role_inferences as {
        prior_role: { id: string };
        implies: { id: string }[];
      }[];
      const pairs = rules.flatMap((r) => r.implies.map((imp) => `${r.prior_role.id}>${imp.id}`));
      expect(pairs.filter((p) => p === `${x}>${y}` || p === `${y}>${x}`)).toHaveLength(1);
    }
  }
});

it('lets exactly one of two replicas create a role name, a route lock and a CDN lock', { timeout: 120000 }, async () => {
  const lena = await a.user('lena-inv');
  const mike = await a.user('mike-inv');
  for (const who of [lena, mike]) await a.grant(`/system/users/${who}/roles/{role}`, 'admin');
  const [lenaToken, mikeToken] = await Promise.all([a.token(lena), b.token(mike)]);
  // What is written through A reaches B within the staleness bound; before racing on B, let B catch
  // up (a fully consistent decision waits for the latest change), or B may refuse mike with 403.
  await b.caughtUp();
  for (let i = 0; i < TRIALS; i++) {
    const roles = await Promise.all([a, b].map((c) => c.server.json('POST', `${V3}/roles`, { role: { name: `same-${i}` } })));
    expect(statuses(roles)).toEqual([201, 409]);

    await a.register('vms', `inv-${i}`);
    await b.caughtUp();
    const routes = await Promise.all([
      a.routeLock(lenaToken, 'vms', `inv-${i}`),
      b.routeLock(mikeToken, 'vms', `inv-${i}`),
    ]);
    expect(statuses(routes)).toEqual([200, 409]);

    await a.register('cdn', `cdn-inv-${i}`);
    await b.caughtUp();
    const cdns = await Promise.all([
      a.server.json('POST', CDN_LOCKS, { cdn: `cdn-inv-${i}` }, { token: lenaToken }),
      b.server.json('POST', CDN_LOCKS, { cdn: `cdn-inv-${i}` }, { token: mikeToken }),
    ]);
    expect(statuses(cdns)).toEqual([201, 400]); // Traffic Ops answers a held CDN with 400
  }
});

it('never leaves a grant to a user or of a role deleted on the other replica at the same moment', { timeout: 180000 }, async () => {
  const p = await a.project('inv-grants');
  const memberId = await a.roleId('member');
  await a.register('vms', 'inv-g', { project_id: p });
  for (let i = 0; i < TRIALS; i++) {
    // The user goes on A while B grants it a role.
    const doomed = await a.user(`doomed-${i}`);
    await Promise.all([
      a.server.json('DELETE', `${V3}/users/${doomed}`),
      b.server.json('PUT', `${V3}/projects/${p}/users/${doomed}/roles/${memberId}`),
    ]);
    for (const client of [a, b]) {
      const listed = (await client.expect(200, 'GET', `${V3}/role_assignments?user.id=${doomed}`)).role_assignments;
      expect(listed).toEqual([]);
      expect(await client.decide(doomed, 'update', 'vms', 'inv-g', FULL)).toBe(false);
    }

    // The role goes on A while B grants it to a live user.
    const role = await a.role(`doomed-role-${i}`);
    const user = await a.user(`holder-${i}`);
    await Promise.all([
      a.server.json('DELETE', `${V3}/roles/${role}`),
      b.server.json('PUT', `${V3}/projects/${p}/users/${user}/roles/${role}`),
    ]);
    for (const client of [a, b]) {
      const listed = (await client.expect(200, 'GET', `${V3}/role_assignments?user.id=${user}`)).role_assignments;
      expect(listed).toEqual([]);
    }
  }
});
