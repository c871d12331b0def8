/**
 * Starts Portcullis configured for one interop or certification fixture (test/interop/fixtures),
 * by documented means only: the fixture's policy file beside the shipped ones (all but
 * policies/resources.csv, whose sample rows the fixture's replace), then roles, implied roles,
 * projects, users and grants through the Keystone API and resources through the registry API.
 * Users get the ids Keystone generates; apps know them by the names the suite picks.
 */
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ADMIN_TOKEN, startTestApp, type TestApp, type TestResponse } from '../helpers/test-app.js';

type Target = 'system' | { readonly project: string };

interface FixtureUser {
  /** The names apps may know the user by (pid, email, name...); the suite picks one. */
  readonly names: Readonly<Record<string, string>>;
  readonly email?: string;
  readonly grants: readonly { readonly role: string; readonly on: Target }[];
}

interface FixtureResource {
  readonly type: string;
  readonly id: string;
  readonly project?: string;
  /** A user, by the name the suite picks. */
  readonly owner?: string;
  readonly status?: string;
  readonly attributes?: Readonly<Record<string, unknown>>;
}

interface Fixture {
  readonly policy: string;
  readonly projects?: readonly string[];
  readonly roles?: readonly string[];
  readonly implied?: readonly (readonly [string, string])[];
  readonly unimplied?: readonly (readonly [string, string])[];
  readonly users: readonly FixtureUser[];
  readonly resources?: readonly FixtureResource[];
}

export interface FixtureApp {
  readonly t: TestApp;
  /** name the app uses → generated directory id */
  readonly userIds: ReadonlyMap<string, string>;
  close(): Promise<void>;
}

const HERE = path.dirname(new URL(import.meta.url).pathname);
const POLICIES = path.resolve(HERE, '../../policies');

export async function startFixture(name: string, userName = 'name'): Promise<FixtureApp> {
  const fixture = JSON.parse(await readFile(path.join(HERE, 'fixtures', `${name}.json`), 'utf8')) as Fixture;
  const dir = await mkdtemp(path.join(tmpdir(), `portcullis-${name}-`));
  for (const file of await readdir(POLICIES)) {
    if (file.endsWith('.csv') && file !== 'resources.csv') await copyFile(path.join(POLICIES, file), path.join(dir, file));
  }
  await copyFile(path.join(HERE, 'fixtures', fixture.policy), path.join(dir, fixture.policy));
  const t = await startTestApp({ PORTCULLIS_POLICY_DIR: dir });
  try {
    const userIds = await build(t, fixture, userName);
    return {
      t,
      userIds,
      async close() {
        await t.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await t.close();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function build(t: TestApp, f: Fixture, userName: string): Promise<Map<string, string>> {
  const call = async (method: string, p: string, body?: unknown): Promise<TestResponse> => {
    const res = await t.request(method, p, { headers: { 'X-Auth-Token': ADMIN_TOKEN }, ...(body ? { body } : {}) });
    if (res.status >= 300) throw new Error(`fixture: ${method} ${p} answered ${res.status} ${res.text}`);
    return res;
  };
  const ks = (method: string, p: string, body?: unknown) => call(method, `/identity/v3${p}`, body);

  const roles = new Map<string, string>();
  for (const role of (await ks('GET', '/roles')).body.roles as { id: string; name: string }[]) roles.set(role.name, role.id);
  for (const role of f.roles ?? []) roles.set(role, (await ks('POST', '/roles', { role: { name: role } })).body.role.id);
  const roleId = (role: string) => roles.get(role) ?? fail(`fixture: no role ${role}`);
  for (const [prior, implied] of f.implied ?? []) await ks('PUT', `/roles/${roleId(prior)}/implies/${roleId(implied)}`);
  for (const [prior, implied] of f.unimplied ?? []) await ks('DELETE', `/roles/${roleId(prior)}/implies/${roleId(implied)}`);

  const projects = new Map<string, string>();
  for (const project of f.projects ?? []) {
    projects.set(project, (await ks('POST', '/projects', { project: { name: project, domain_id: 'default' } })).body.project.id);
  }

  const userIds = new Map<string, string>();
  for (const u of f.users) {
    const name = u.names[userName] ?? fail(`fixture: a user has no ${userName} name`);
    const body = { user: { name, domain_id: 'default', ...(u.email ? { email: u.email } : {}) } };
    const id = (await ks('POST', '/users', body)).body.user.id as string;
    userIds.set(name, id);
    for (const grant of u.grants) {
      const on = grant.on === 'system' ? '/system' : `/projects/${projects.get(grant.on.project) ?? fail(`fixture: no project ${JSON.stringify(grant.on)}`)}`;
      await ks('PUT', `${on}/users/${id}/roles/${roleId(grant.role)}`);
    }
  }

  for (const r of f.resources ?? []) {
    await call('PUT', `/v1/resources/${r.type}/${encodeURIComponent(r.id)}`, {
      ...(r.project ? { project_id: projects.get(r.project) } : {}),
      ...(r.owner ? { owner: userIds.get(r.owner) ?? fail(`fixture: no user ${r.owner}`) } : {}),
      ...(r.status ? { status: r.status } : {}),
      ...(r.attributes ? { attributes: r.attributes } : {}),
    });
  }
  return userIds;
}

function fail(message: string): never {
  throw new Error(message);
}
