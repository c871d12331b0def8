/**
 * Two Portcullis processes on one database (issue 6), every write through a public API of one of
 * them. Registry, ownership and lock data are read per decision, so a write through one replica
 * shows in the other at once. Role-graph and policy changes (Keystone grants incl. OS-INHERIT,
 * group membership, implied roles; stored policy rules) travel through the version document and
 * must show within the documented bound: one sync interval plus one rebuild. The measured
 * figures are printed for the README.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dropDatabase, freshDbName } from '../helpers/mongo-env.js';
import { ApiClient, V3 } from './api-client.js';
import { mongoUri, startServer, type ServerProcess } from './server-process.js';

const uri = mongoUri();
const dbName = freshDbName('replicas');
const INTERVAL_MS = 1000; // the default PORTCULLIS_SYNC_INTERVAL_MS
/** Documented bound: one interval plus a rebuild; the slack covers the rebuild and request time. */
const BOUND_MS = INTERVAL_MS + 1000;
const ROUNDS = 4;
let a: ApiClient;
let b: ApiClient;
let servers: ServerProcess[] = [];

beforeAll(async () => {
  const env = { MONGODB_URI: uri, MONGODB_DB: dbName, PORTCULLIS_SYNC_INTERVAL_MS: String(INTERVAL_MS) };
  // Both start at once on an empty database: index creation and bootstrap race on purpose.
  servers = await Promise.all([startServer(env), startServer(env)]);
  a = new ApiClient(servers[0]!);
  b = a.via(servers[1]!);
}, 60000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.kill('SIGTERM')));
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
  for (const client of [a, b]) {
    for (const name of ['admin', 'manager', 'member', 'reader', 'service']) {
      expect((await client.expect(200, 'GET', `/identity/v3/roles?name=${name}`)).roles).toHaveLength(1);
    }
    expect((await client.expect(200, 'GET', '/identity/v3/role_inferences')).role_inferences).toHaveLength(3);
    expect((await client.expect(200, 'GET', '/identity/v3/system/users/admin/roles')).roles).toHaveLength(1);
  }
});

it('shows ownership and locks written through one replica in the other at once', { timeout: 60000 }, async () => {
  const p1 = await a.project('locks');
  const [jdoe, bob, lena, mike] = await Promise.all(['jdoe', 'bob', 'lena', 'mike'].map((n) => a.user(`${n}-locks`)));
  await a.grant(`/projects/${p1}/users/${bob}/roles/{role}`, 'member');
  for (const who of [lena!, mike!]) await a.grant(`/system/users/${who}/roles/{role}`, 'manager');
  await a.register('vms', '77', { project_id: p1 });
  const share = await a.share(p1);
  await a.register('cdn', 'cdn-r');
  // The grants reach B within the bound; from here on only per-decision data changes.
  await expect.poll(() => b.decide(mike!, 'snapshot', 'cdn', 'cdn-r'), { timeout: BOUND_MS * 2, interval: 50 }).toBe(true);
  await expect.poll(() => b.decide(bob!, 'delete', 'share', share), { timeout: BOUND_MS * 2, interval: 50 }).toBe(true);
  expect(await b.decide(jdoe!, 'update', 'vms', '77')).toBe(false);

  // Ownership through ManageIQ on A: B decides and reads it with the very next request.
  await a.setOwnership('vms', '77', jdoe!);
  expect(await b.decide(jdoe!, 'update', 'vms', '77')).toBe(true);
  expect(await b.owner('vms', '77')).toBe(jdoe);

  // A route lock taken through A blocks the owner on B at once; B refuses another taker.
  const bobToken = await a.token(bob!, { project: p1 });
  expect(await a.routeLock(bobToken, 'vms', '77')).toEqual({ status: 200, body: { data: 'Success', code: 200 } });
  expect(await b.decide(jdoe!, 'update', 'vms', '77')).toBe(false);
  expect(await b.routeLock(await b.token(mike!), 'vms', '77')).toEqual({ status: 409, body: { data: 'Conflict', code: 409 } });
  // ... and released through B frees it on A at once.
  expect((await b.server.json('DELETE', '/admin/remove-lock', { route: 'vms', id: '77' }, { token: bobToken })).status).toBe(200);
  expect(await a.decide(jdoe!, 'update', 'vms', '77')).toBe(true);

  // A Manila lock created through A: B shows it and denies the delete at once.
  const lockId = await a.manilaLock(bobToken, share, 'replicated');
  expect(await b.showManilaLock(lockId)).toMatchObject({ user_id: bob, project_id: p1, resource_id: share });
  expect(await b.decide(bob!, 'delete', 'share', share)).toBe(false);

  // A CDN lock created through A: B lists it and blocks another manager at once.
  const lenaToken = await a.token(lena!);
  await a.cdnLock(lenaToken, { cdn: 'cdn-r', soft: true, message: 'replicated' });
  expect(await b.cdnLocks('cdn-r')).toEqual([expect.objectContaining({ cdn: 'cdn-r', userName: 'lena-locks', soft: true })]);
  expect(await b.decide(mike!, 'snapshot', 'cdn', 'cdn-r')).toBe(false);
  expect(await b.decide(lena!, 'snapshot', 'cdn', 'cdn-r')).toBe(true);
  // ... deleted through B: A allows again at once.
  await b.expect(200, 'DELETE', '/api/4.0/cdn_locks?cdn=cdn-r', undefined, lenaToken);
  expect(await a.decide(mike!, 'snapshot', 'cdn', 'cdn-r')).toBe(true);
});

it('carries grants, memberships, implied roles and policy rules to the other replica within the staleness bound', { timeout: 180000 }, async () => {
  // Set-up through A, allowed to settle on B before the measured writes.
  const p1 = await a.project('graph');
  const parent = await a.project('graph-parent');
  const child = await a.project('graph-child', parent);
  await a.register('vms', 'r1', { project_id: p1 });
  await a.register('vms', 'c1', { project_id: child });
  const team = await a.group('team');
  await a.grant(`/projects/${p1}/groups/${team}/roles/{role}`, 'member');
  const users: Record<string, string[]> = { grant: [], member: [], implied: [], inherit: [] };
  for (let i = 0; i < ROUNDS; i++) {
    for (const kind of Object.keys(users)) users[kind]!.push(await a.user(`${kind}-${i}`));
    await a.role(`imp-${i}`);
    await a.grant(`/projects/${p1}/users/${users.implied![i]}/roles/{role}`, `imp-${i}`);
  }
  await expect.poll(() => b.decide(users.implied![ROUNDS - 1]!, 'reboot', 'vms', 'r1'), { timeout: BOUND_MS * 2 }).toBe(false);
  await new Promise((r) => setTimeout(r, BOUND_MS)); // every set-up change has reached B

  const lags: Record<string, number[]> = { policy: [], grant: [], membership: [], implied: [], inherited: [] };
  for (let i = 0; i < ROUNDS; i++) {
    // A policy rule added through A, then removed through B.
    const rule = [`user:u${i}`, 'vms', 'reboot', 'allow'];
    await a.addRule(rule);
    expect(await a.decide(`u${i}`, 'reboot', 'vms', 'r1')).toBe(true); // the writer sees it at once
    lags.policy!.push(await timeUntil(() => b.decide(`u${i}`, 'reboot', 'vms', 'r1'), true));
    await b.removeRule(rule);
    lags.policy!.push(await timeUntil(() => a.decide(`u${i}`, 'reboot', 'vms', 'r1'), false));

    // A Keystone grant through A.
    const granted = users.grant![i]!;
    await a.grant(`/projects/${p1}/users/${granted}/roles/{role}`, 'member');
    expect(await a.decide(granted, 'update', 'vms', 'r1')).toBe(true);
    lags.grant!.push(await timeUntil(() => b.decide(granted, 'update', 'vms', 'r1'), true));

    // Group membership through A (the group already holds member on the project).
    const member = users.member![i]!;
    await a.addMember(team, member);
    expect(await a.decide(member, 'update', 'vms', 'r1')).toBe(true);
    lags.membership!.push(await timeUntil(() => b.decide(member, 'update', 'vms', 'r1'), true));

    // An implied-role rule through A: imp-i ⇒ reader gives its holder read.
    const implied = users.implied![i]!;
    expect(await b.decide(implied, 'read', 'vms', 'r1')).toBe(false);
    await a.imply(`imp-${i}`, 'reader');
    expect(await a.decide(implied, 'read', 'vms', 'r1')).toBe(true);
    lags.implied!.push(await timeUntil(() => b.decide(implied, 'read', 'vms', 'r1'), true));

    // An OS-INHERIT grant on the parent project through A reaches the child on B.
    const heir = users.inherit![i]!;
    await a.grant(`/OS-INHERIT/projects/${parent}/users/${heir}/roles/{role}/inherited_to_projects`, 'reader');
    expect(await a.decide(heir, 'read', 'vms', 'c1')).toBe(true);
    lags.inherited!.push(await timeUntil(() => b.decide(heir, 'read', 'vms', 'c1'), true));

    await new Promise((r) => setTimeout(r, (i * 317) % INTERVAL_MS)); // vary the phase against the poll timer
  }
  const all = Object.values(lags).flat();
  const stat = (xs: number[]) => `max ${Math.max(...xs)} ms, mean ${Math.round(xs.reduce((s, x) => s + x, 0) / xs.length)} ms`;
  const sync = (await b.expect(200, 'GET', '/readyz')).sync;
  process.stdout.write(
    `replica staleness over ${all.length} writes: ${stat(all)} (interval ${INTERVAL_MS} ms, last rebuild ${sync.lastRebuildMs} ms)\n` +
      Object.entries(lags).map(([kind, xs]) => `  ${kind}: ${stat(xs)} over ${xs.length}\n`).join(''),
  );
  expect(Math.max(...all)).toBeLessThanOrEqual(BOUND_MS);
  expect(sync).toMatchObject({ mode: 'poll', intervalMs: INTERVAL_MS, lastError: null });
  expect(sync.rebuilds).toBeGreaterThan(0);
});

it('accepts a token issued by one replica in the other, and a revocation through either holds in both at once', { timeout: 60000 }, async () => {
  // No PORTCULLIS_TOKEN_SECRET: the replicas share the signing key the first one stored.
  const user = (await a.expect(201, 'POST', `${V3}/users`, { user: { name: 'tok-replicas', domain_id: 'default', password: 'replica-pw' } })).user.id;
  const project = await a.project('tok-replicas');
  await a.grant(`/projects/${project}/users/${user}/roles/{role}`, 'member');
  const attempt = (via: ApiClient) =>
    fetch(`${via.server.url}${V3}/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { id: user, password: 'replica-pw' } } }, scope: { project: { id: project } } } }),
    });
  const login = async (via: ApiClient) => {
    const res = await attempt(via);
    expect(res.status).toBe(201);
    return res.headers.get('x-subject-token')!;
  };
  // The grant is in both replicas' role graphs within the staleness bound (a rebuild may race it).
  for (const via of [a, b]) expect(await timeUntil(async () => (await attempt(via)).status === 201, true)).toBeLessThan(BOUND_MS);
  const works = async (via: ApiClient, token: string) => (await via.server.json('GET', `${V3}/users/${user}`, undefined, { token })).status === 200;

  const fromA = await login(a);
  expect(await works(b, fromA)).toBe(true);
  await b.expect(200, 'GET', `${V3}/auth/tokens`, undefined, undefined, { 'X-Subject-Token': fromA });
  await b.expect(204, 'DELETE', `${V3}/auth/tokens`, undefined, undefined, { 'X-Subject-Token': fromA });
  expect(await works(a, fromA)).toBe(false);
  expect(await works(b, fromA)).toBe(false);

  // A password change through one replica revokes the user's tokens in both.
  const fromB = await login(b);
  expect(await works(a, fromB)).toBe(true);
  await a.expect(200, 'PATCH', `${V3}/users/${user}`, { user: { password: 'replica-pw' } });
  expect(await works(a, fromB)).toBe(false);
  expect(await works(b, fromB)).toBe(false);
  expect(await works(b, await login(b))).toBe(true);
});
