/**
 * The seeded world the console's browser tests (and `npx tsx test/console/world.ts URL TOKEN`, for
 * a look by hand) run against, built through Portcullis' public HTTP APIs only, as an operator
 * would: Keystone for the directory, grants and implied roles, the registry for resources, each
 * lock family's own API (as the users who hold the locks), and AuthZEN for a few decisions.
 *
 *   projects   sales ⊃ sales-eu
 *   roles      the bootstrap chain admin ⇒ manager ⇒ member ⇒ reader, plus auditor ⇒ reader
 *   alice      member on sales (password alice-pass-1), owns document/42 (in sales-eu)
 *   bob        reader on the system: sees everything, changes nothing
 *   carol      in group ops, which holds manager on sales inherited to its projects
 *   dave       member on sales-eu; holds a Manila lock on share SHARE (delete) and route lock volume/7
 *   admin      the admin token; holds a hard CDN lock on cdn-eu
 */

/** The share dave locks (Manila wants UUIDs). */
export const SHARE = '5b9d5c1e-7c3f-4c2a-9a0e-2f1d6f1b7a01';

export const PASSWORDS = { alice: 'alice-pass-1', bob: 'bob-pass-1', carol: 'carol-pass-1', dave: 'dave-pass-1' } as const;

export interface World {
  readonly users: Record<keyof typeof PASSWORDS, string>;
  readonly projects: { sales: string; salesEu: string };
  readonly groups: { ops: string };
  readonly manilaLockId: string;
}

export async function seedWorld(base: string, adminToken: string): Promise<World> {
  const call = client(base);
  const admin = { 'X-Auth-Token': adminToken };
  const role = async (name: string): Promise<string> => (await call('GET', `/v3/roles?name=${name}`, admin, undefined, 200)).roles[0].id;

  const sales = (await call('POST', '/v3/projects', admin, { project: { name: 'sales', domain_id: 'default' } }, 201)).project.id;
  const salesEu = (await call('POST', '/v3/projects', admin, { project: { name: 'sales-eu', domain_id: 'default', parent_id: sales } }, 201)).project.id;
  const user = async (name: keyof typeof PASSWORDS, extra: Record<string, unknown> = {}) =>
    (await call('POST', '/v3/users', admin, { user: { name, domain_id: 'default', password: PASSWORDS[name], ...extra } }, 201)).user.id as string;
  const users = {
    alice: await user('alice', { default_project_id: sales, email: 'alice@example.com' }),
    bob: await user('bob'),
    carol: await user('carol'),
    dave: await user('dave', { default_project_id: salesEu }),
  };
  const ops = (await call('POST', '/v3/groups', admin, { group: { name: 'ops', domain_id: 'default' } }, 201)).group.id;
  await call('PUT', `/v3/groups/${ops}/users/${users.carol}`, admin, undefined, 204);

  const auditor = (await call('POST', '/v3/roles', admin, { role: { name: 'auditor' } }, 201)).role.id;
  await call('PUT', `/v3/roles/${auditor}/implies/${await role('reader')}`, admin, undefined, 201);
  await call('PUT', `/v3/projects/${sales}/users/${users.alice}/roles/${await role('member')}`, admin, undefined, 204);
  await call('PUT', `/v3/system/users/${users.bob}/roles/${await role('reader')}`, admin, undefined, 204);
  await call('PUT', `/v3/OS-INHERIT/projects/${sales}/groups/${ops}/roles/${await role('manager')}/inherited_to_projects`, admin, undefined, 204);
  await call('PUT', `/v3/projects/${salesEu}/users/${users.dave}/roles/${await role('member')}`, admin, undefined, 204);

  const bearer = { Authorization: `Bearer ${adminToken}` };
  // In sales-eu, where alice holds no role: only ownership lets her update it.
  await call('PUT', '/v1/resources/document/42', bearer, { owner: users.alice, project_id: salesEu }, 201);
  await call('PUT', '/v1/resources/document/43', bearer, { project_id: salesEu }, 201);
  await call('PUT', `/v1/resources/share/${SHARE}`, bearer, { project_id: salesEu, owner: users.dave, attributes: { name: 'eu-data' } }, 201);
  await call('PUT', '/v1/resources/cdn/cdn-eu', bearer, { domain_id: 'default' }, 201);

  // Each lock through its own family's API, as its holder.
  const dave = { 'X-Auth-Token': await login(base, 'dave', { project: { id: salesEu } }) };
  const manilaLock = await call(
    'POST',
    '/share/v2/resource-locks',
    { ...dave, 'X-OpenStack-Manila-API-Version': '2.81' },
    { resource_lock: { resource_id: SHARE, resource_type: 'share', resource_action: 'delete', lock_reason: 'EU data retention' } },
    200,
  );
  await call('POST', '/admin/lock', { Authorization: `Bearer ${dave['X-Auth-Token']}` }, { route: 'volume', id: '7' }, 200);
  await call('POST', '/api/4.0/cdn_locks', bearer, { cdn: 'cdn-eu', message: 'EU rollout freeze', soft: false }, 201);

  // A few decisions for the log.
  const ask = (subject: string, action: string, type: string, id: string) =>
    call('POST', '/access/v1/evaluation', bearer, { subject: { type: 'user', id: subject }, action: { name: action }, resource: { type, id } }, 200);
  await ask('alice', 'update', 'document', '42');
  await ask('bob', 'update', 'document', '42');
  await ask('carol', 'update', 'document', '43');
  await ask('dave', 'delete', 'share', SHARE);

  return { users, projects: { sales, salesEu }, groups: { ops }, manilaLockId: manilaLock.resource_lock.id };
}

type Call = (method: string, path: string, headers: Record<string, string>, body: unknown, expect: number) => Promise<any>;

function client(base: string): Call {
  return async (method, path, headers, body, expect) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status !== expect) throw new Error(`${method} ${path}: expected ${expect}, got ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}

/** A Keystone password login (POST /v3/auth/tokens); returns the issued token (X-Subject-Token). */
export async function login(base: string, name: keyof typeof PASSWORDS, scope: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${base}/v3/auth/tokens?nocatalog`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      auth: { identity: { methods: ['password'], password: { user: { name, domain: { id: 'default' }, password: PASSWORDS[name] } } }, scope },
    }),
  });
  const token = res.headers.get('X-Subject-Token');
  if (res.status !== 201 || !token) throw new Error(`login ${name}: ${res.status} ${await res.text()}`);
  return token;
}

if (process.argv[1]?.endsWith('world.ts')) {
  const [base, token] = process.argv.slice(2);
  if (!base || !token) throw new Error('usage: npx tsx test/console/world.ts BASE_URL ADMIN_TOKEN');
  console.log(JSON.stringify(await seedWorld(base, token), null, 2));
}
