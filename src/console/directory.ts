/**
 * Names for the ids decisions and grants carry (users, groups, projects, domains), read once per
 * session from the Keystone API (as far as the signed-in user may list them) and shared by the
 * pages. Ids the user may not list stay ids.
 */
import { request } from './api';
import { may, type Session } from './session';

export interface Named {
  readonly id: string;
  readonly name: string;
  readonly domain_id?: string;
  readonly parent_id?: string | null;
}

export interface Directory {
  readonly users: readonly Named[];
  readonly groups: readonly Named[];
  readonly projects: readonly Named[];
  readonly domains: readonly Named[];
  userName(id: string): string;
  groupName(id: string): string;
  projectName(id: string): string;
  domainName(id: string): string;
}

let cached: { token: string; directory: Promise<Directory> } | undefined;

export function loadDirectory(session: Session, fresh = false): Promise<Directory> {
  if (!fresh && cached?.token === session.token) return cached.directory;
  const directory = read(session);
  cached = { token: session.token, directory };
  directory.catch(() => {
    if (cached?.directory === directory) cached = undefined;
  });
  return directory;
}

async function read(session: Session): Promise<Directory> {
  const list = async (permission: Parameters<typeof may>[1], path: string, key: string): Promise<Named[]> =>
    may(session, permission) ? (((await request(session.token, 'GET', path)).body[key] as Named[]) ?? []) : [];
  const [users, groups, projects] = await Promise.all([
    list('identity:list_users', '/v3/users', 'users'),
    list('identity:list_groups', '/v3/groups', 'groups'),
    list('identity:list_projects', '/v3/projects', 'projects'),
  ]);
  // Domains are projects with is_domain in Keystone; the default one is always there.
  const domains: Named[] = [{ id: 'default', name: 'Default' }];
  const byId = (items: readonly Named[]) => new Map(items.map((i) => [i.id, i.name]));
  const [u, g, p, d] = [byId(users), byId(groups), byId(projects), byId(domains)];
  const sort = (items: Named[]) => items.sort((a, b) => a.name.localeCompare(b.name));
  return {
    users: sort(users),
    groups: sort(groups),
    projects: sort(projects),
    domains,
    userName: (id) => u.get(id) ?? id,
    groupName: (id) => g.get(id) ?? id,
    projectName: (id) => p.get(id) ?? id,
    domainName: (id) => d.get(id) ?? id,
  };
}

/** "project sales", "domain Default", "system" for a decision's scope key (`project:<id>`, ...). */
export function scopeLabel(directory: Directory | undefined, scope: string): string {
  const [type, ...rest] = scope.split(':');
  const id = rest.join(':');
  if (type === 'project') return `project ${directory?.projectName(id) ?? id}`;
  if (type === 'domain') return `domain ${directory?.domainName(id) ?? id}`;
  return scope;
}
