/**
 * Durability: write through the API (and, for grants and locks, through the store as their API
 * families would), SIGKILL the server, start a new one on the same database, and find every
 * grant, lock, ownership and policy row again with the same decisions.
 */
import { afterAll, expect, it } from 'vitest';
import { openMongoStores } from '../../src/store/mongo/mongo-stores.js';
import type { Stores } from '../../src/store/stores.js';
import { dropDatabase, freshDbName } from '../helpers/mongo-env.js';
import { decide, mongoUri, startServer, type ServerProcess } from './server-process.js';

const uri = mongoUri();
const dbName = freshDbName('durability');
const running: ServerProcess[] = [];
let stores: Stores | undefined;

afterAll(async () => {
  await Promise.all(running.map((s) => s.kill('SIGKILL')));
  await stores?.close();
  await dropDatabase(uri, dbName);
});

const QUESTIONS = [
  ['jdoe', 'update', 'vm', '1'], // owner
  ['eve', 'update', 'vm', '1'], // stranger
  ['bob', 'update', 'vm', '1'], // member of p1 through a group grant
  ['carol', 'reboot', 'vm', '1'], // stored policy row
  ['jdoe', 'update', 'vm', '2'], // owner, but bob holds a route lock
  ['bob', 'update', 'vm', '2'], // the lock holder
  ['jdoe', 'delete', 'share', 's1'], // owner, but a Manila delete lock stands
] as const;

async function decisions(server: ServerProcess): Promise<boolean[]> {
  return Promise.all(QUESTIONS.map(([s, a, t, id]) => decide(server, s, a, t, id)));
}

it('keeps grants, locks, ownership and policy rows across SIGKILL and restart', { timeout: 90000 }, async () => {
  const env = { MONGODB_URI: uri, MONGODB_DB: dbName, PORTCULLIS_SYNC_INTERVAL_MS: '200' };
  const first = await startServer(env);
  running.push(first);

  // Through the API: registry (ownership) and a stored policy row.
  for (const [type, id] of [['vm', '1'], ['vm', '2'], ['share', 's1']]) {
    expect((await first.json('PUT', `/v1/resources/${type}/${id}`, { owner: 'jdoe', project_id: 'p1' })).status).toBe(201);
  }
  expect((await first.json('POST', '/v1/policy/rules', { ptype: 'p', values: ['user:carol', 'vm', 'reboot', 'allow'] })).status).toBe(201);

  // Grants and locks through the store, as their families do, then the version bump they publish.
  stores = await openMongoStores({ uri, dbName });
  const member = (await stores.roles.list({ name: 'member', domainId: null }))[0]!;
  await stores.directory.projects.create({ id: 'p1', name: 'p1', domainId: 'default', parentId: null, description: '', enabled: true });
  await stores.directory.groups.create({ id: 'ops', name: 'ops', domainId: 'default', description: '' });
  await stores.directory.memberships.add('ops', 'bob');
  await stores.grants.add({ actorType: 'group', actorId: 'ops', targetType: 'project', targetId: 'p1', roleId: member.id, inherited: false });
  await stores.version.bump();
  expect(await stores.routeLocks.acquire('vm', '2', 'bob', new Date().toISOString())).toBe('acquired');
  await stores.manilaLocks.create({
    id: 'lock-1',
    userId: 'jdoe',
    projectId: 'p1',
    lockContext: 'user',
    resourceType: 'share',
    resourceId: 's1',
    resourceAction: 'delete',
    lockReason: 'keep',
    createdAt: '2026-01-01T00:00:00.000000',
    updatedAt: null,
  });

  const expected = [true, false, true, true, false, true, false];
  await expect.poll(() => decisions(first), { timeout: 5000, interval: 100 }).toEqual(expected);

  expect(await first.kill('SIGKILL')).toBeNull(); // killed by the signal: no exit code, no shutdown hook
  expect(first.proc.signalCode).toBe('SIGKILL');
  await expect(fetch(`${first.url}/healthz`)).rejects.toThrow(); // nothing answers there any more
  const second = await startServer(env);
  running.push(second);

  expect(await decisions(second)).toEqual(expected);
  expect((await second.json('GET', '/v1/resources/vm/1')).body.resource).toMatchObject({ owner: 'jdoe', project_id: 'p1' });
  const policy = await second.json('GET', '/v1/policy');
  expect(policy.body.rules).toContainEqual({ ptype: 'p', values: ['user:carol', 'vm', 'reboot', 'allow'], source: 'store' });
  expect(await stores.grants.list({ actorId: 'ops' })).toHaveLength(1);
  expect(await stores.routeLocks.get('vm', '2')).toMatchObject({ userId: 'bob' });
  expect(await stores.manilaLocks.get('lock-1')).toMatchObject({ resourceAction: 'delete' });
  // Bootstrap ran once: a restart on a populated database does not add a second admin role.
  expect(await stores.roles.list({ name: 'admin', domainId: null })).toHaveLength(1);
  const ready = await second.json('GET', '/readyz');
  expect(ready.status).toBe(200);
  expect(ready.body.store).toEqual({ kind: 'mongodb', reachable: true });
});
