/**
 * Domains and projects (docs/compatibility.md §8.1): projects form a tree under their domain
 * through `parent_id`. On the wire a top-level project's `parent_id` is its domain id, as in
 * Keystone, and a domain is also a project with `is_domain: true` (created, shown, listed with
 * `?is_domain=true`, updated and deleted through `/v3/projects` too). A project with children
 * cannot be deleted (Keystone's 403), so the tree never dangles; deleting a project removes the
 * grants on it. Deleting a domain (it must be disabled first) deletes everything in it, as
 * Keystone does: projects, users, groups, domain-specific roles, and the grants of each.
 */
import type { Principal } from '../../auth/principal.js';
import { badRequest, forbidden, notFound } from '../../errors.js';
import type { Domain, Project, ProjectFilter, TagFilter } from '../../store/directory-store.js';
import { newHexId } from '../ids.js';
import { guard, Lookups, storeOrConflict, type IdentityDeps } from './deps.js';
import { enabledDomain, notALeaf } from './directory-messages.js';
import { checkTags } from './project-tag-service.js';
import { removeDomain, removeProject } from './removals.js';

export interface ProjectInput {
  readonly name: string;
  readonly domainId?: string;
  /** A project id, or a domain id (top-level project), or null. */
  readonly parentId?: string | null;
  readonly description?: string;
  readonly enabled?: boolean;
  readonly tags?: readonly string[];
  /** Create a domain (a project acting as a domain) instead. */
  readonly isDomain?: boolean;
}

export interface ProjectChange {
  readonly name?: string;
  readonly description?: string;
  readonly enabled?: boolean;
  readonly domainId?: string | null;
  readonly parentId?: string | null;
  readonly tags?: readonly string[];
}

export interface ProjectListFilter {
  readonly name?: string;
  readonly domainId?: string;
  readonly parentId?: string;
  readonly enabled?: boolean;
  /** true: the domains, as projects; false or absent: the projects (Keystone's default). */
  readonly isDomain?: boolean;
  readonly tags?: TagFilter;
}

/** What `/v3/projects` serves: a project, or a domain acting as a project. */
export type ProjectOrDomain = Project | Domain;

/** (A Project is also a structural Domain, so the test is on the project's own field.) */
export const isProject = (p: ProjectOrDomain): p is Project => 'domainId' in p;

export class ProjectService {
  private readonly lookups: Lookups;

  constructor(private readonly deps: IdentityDeps) {
    this.lookups = new Lookups(deps.stores);
  }

  private get projects() {
    return this.deps.stores.directory.projects;
  }
  private get domains() {
    return this.deps.stores.directory.domains;
  }

  async listDomains(caller: Principal, filter: { name?: string; enabled?: boolean }): Promise<Domain[]> {
    guard(this.deps, caller, 'list_domains');
    return this.domains.list(filter);
  }

  async createDomain(caller: Principal, input: Omit<Partial<Domain>, 'id'> & { name: string }): Promise<Domain> {
    guard(this.deps, caller, 'create_domain');
    const domain: Domain = { description: '', enabled: true, ...input, id: newHexId() };
    await storeOrConflict(() => this.domains.create(domain), 'domain', domain.name);
    return domain;
  }

  async getDomain(caller: Principal, id: string): Promise<Domain> {
    const domain = await this.lookups.domain(id);
    guard(this.deps, caller, 'get_domain', { domain_id: id });
    return domain;
  }

  async updateDomain(caller: Principal, id: string, change: Omit<Partial<Domain>, 'id'>): Promise<Domain> {
    const domain = await this.lookups.domain(id);
    guard(this.deps, caller, 'update_domain', { domain_id: id });
    return this.saveDomain(domain, change);
  }

  /** Keystone requires a disabled domain, then deletes everything in it. */
  async deleteDomain(caller: Principal, id: string): Promise<void> {
    const domain = await this.lookups.domain(id);
    guard(this.deps, caller, 'delete_domain', { domain_id: id });
    await this.purgeDomain(domain);
  }

  async listProjects(caller: Principal, filter: ProjectListFilter): Promise<ProjectOrDomain[]> {
    guard(this.deps, caller, 'list_projects', { domain_id: filter.domainId ?? '' });
    if (filter.isDomain === true) {
      // Domains have no domain or parent; asking for one matches none of them.
      if (filter.domainId !== undefined || filter.parentId !== undefined || filter.tags?.all?.length || filter.tags?.any) return [];
      return this.domains.list({ ...pick(filter, 'name'), ...pick(filter, 'enabled') });
    }
    const query: ProjectFilter = {
      ...pick(filter, 'name'),
      ...pick(filter, 'domainId'),
      ...pick(filter, 'enabled'),
      ...pick(filter, 'tags'),
    };
    const all = await this.projects.list(query);
    if (filter.parentId === undefined) return all;
    return all.filter((p) => (p.parentId ?? p.domainId) === filter.parentId);
  }

  async createProject(caller: Principal, input: ProjectInput): Promise<ProjectOrDomain> {
    if (input.isDomain) {
      if (input.parentId || input.domainId) throw badRequest('Cannot create a project acting as a domain with a parent or a domain.');
      guard(this.deps, caller, 'create_project', { domain_id: '' });
      const domain: Domain = { id: newHexId(), name: input.name, description: input.description ?? '', enabled: input.enabled ?? true };
      await storeOrConflict(() => this.domains.create(domain), 'project', domain.name);
      return domain;
    }
    if (input.tags) checkTags(input.tags);
    const { domainId, parentId } = await this.placement(caller, input);
    guard(this.deps, caller, 'create_project', { domain_id: domainId });
    const project: Project = {
      id: newHexId(),
      name: input.name,
      domainId,
      parentId,
      description: input.description ?? '',
      enabled: input.enabled ?? true,
      ...(input.tags?.length ? { tags: [...input.tags] } : {}),
    };
    await storeOrConflict(() => this.projects.create(project), 'project', project.name, domainId);
    return project;
  }

  async getProject(caller: Principal, id: string): Promise<ProjectOrDomain> {
    const found = await this.projectOrDomain(id);
    guard(this.deps, caller, 'get_project', targetOf(found));
    return found;
  }

  async updateProject(caller: Principal, id: string, change: ProjectChange): Promise<ProjectOrDomain> {
    const found = await this.projectOrDomain(id);
    guard(this.deps, caller, 'update_project', targetOf(found));
    if (!isProject(found)) return this.saveDomain(found, pick3(change));
    const project = found;
    if (change.tags) checkTags(change.tags);
    if (change.domainId !== undefined && change.domainId !== project.domainId) {
      throw badRequest('Update of `domain_id` is not allowed.');
    }
    if (change.parentId !== undefined && (change.parentId ?? project.domainId) !== (project.parentId ?? project.domainId)) {
      throw forbidden('Update of `parent_id` is not allowed.');
    }
    const next: Project = {
      ...project,
      ...pick3(change),
      ...(change.tags !== undefined ? { tags: [...change.tags] } : {}),
    };
    await storeOrConflict(() => this.projects.update(next), 'project', next.name, next.domainId);
    return next;
  }

  async deleteProject(caller: Principal, id: string): Promise<void> {
    const found = await this.projectOrDomain(id);
    guard(this.deps, caller, 'delete_project', targetOf(found));
    if (!isProject(found)) return this.purgeDomain(found);
    if ((await this.projects.list({ parentId: id })).length > 0) throw notALeaf(id);
    if (!(await removeProject(this.deps, id))) throw notFound(`Could not find project: ${id}.`);
  }

  /** A project, else a domain (a project acting as a domain), else Keystone's 404. */
  private async projectOrDomain(id: string): Promise<ProjectOrDomain> {
    const project = await this.projects.get(id);
    if (project) return project;
    const domain = await this.domains.get(id);
    if (domain) return domain;
    return this.lookups.project(id); // throws Could not find project
  }

  private async saveDomain(domain: Domain, change: Omit<Partial<Domain>, 'id'>): Promise<Domain> {
    const next = { ...domain, ...change, id: domain.id };
    await storeOrConflict(() => this.domains.update(next), 'domain', next.name);
    return next;
  }

  private async purgeDomain(domain: Domain): Promise<void> {
    if (domain.enabled) throw enabledDomain();
    if (!(await removeDomain(this.deps, domain.id))) throw notFound(`Could not find domain: ${domain.id}.`);
  }

  /** Domain and parent of a new project; `parent_id` may name a domain (top-level project). */
  private async placement(caller: Principal, input: ProjectInput): Promise<{ domainId: string; parentId: string | null }> {
    const wantedDomain = input.domainId ?? undefined;
    if (input.parentId) {
      const parent = await this.projects.get(input.parentId);
      if (!parent) {
        const domain = await this.domains.get(input.parentId);
        if (!domain) throw notFound(`Could not find project: ${input.parentId}.`);
        if (wantedDomain !== undefined && wantedDomain !== domain.id) throw parentElsewhere(input.parentId);
        return { domainId: domain.id, parentId: null };
      }
      if (wantedDomain !== undefined && wantedDomain !== parent.domainId) throw parentElsewhere(input.parentId);
      return { domainId: parent.domainId, parentId: parent.id };
    }
    const domainId = wantedDomain ?? (caller.scope.type === 'domain' ? caller.scope.id! : 'default');
    await this.lookups.domain(domainId);
    return { domainId, parentId: null };
  }
}

/** The policy target of a project, or of a domain seen as a project. */
function targetOf(p: ProjectOrDomain): Record<string, string> {
  return isProject(p) ? { domain_id: p.domainId, project_id: p.id } : { domain_id: p.id, project_id: p.id };
}

/** The name, description and enabled flag a change sets. */
function pick3(change: ProjectChange): { name?: string; description?: string; enabled?: boolean } {
  return { ...pick(change, 'name'), ...pick(change, 'description'), ...pick(change, 'enabled') };
}

function pick<T extends object, K extends keyof T>(o: T, key: K): Partial<Pick<T, K>> {
  return o[key] === undefined ? {} : ({ [key]: o[key] } as Partial<Pick<T, K>>);
}

const parentElsewhere = (parentId: string) =>
  badRequest(
    `Cannot create project, the parent (${parentId}) is not in the same domain as the project being created.`,
  );
